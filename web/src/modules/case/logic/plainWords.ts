// The problems residents report most, in their own words with examples, each pointing at its
// category of the catalogue: "路灯不亮" rather than only "道路照明". A word whose category the
// city's catalogue lacks is not offered. zh-CN first, English second.

/** One common problem: its words, examples and the category it files under. */
export interface PlainWord { code: string; zh: string; zhEx: string; en: string; enEx: string }

export const PLAIN_WORDS: readonly PlainWord[] = [
  { code: '0102', zh: '垃圾没人清', zhEx: '垃圾桶满了、路边堆着垃圾', en: 'Rubbish not collected', enEx: 'overflowing bins, rubbish by the road' },
  { code: '1303', zh: '路灯不亮', zhEx: '路灯不亮、一闪一闪、白天还亮着', en: 'Street light out', enEx: 'dark, flickering, on in daytime' },
  { code: '0405', zh: '井盖坏了', zhEx: '井盖松动、破损、丢失', en: 'Manhole cover broken', enEx: 'loose, cracked or missing' },
  { code: '0401', zh: '路面坑洼塌陷', zhEx: '路面有坑、下沉、塌陷', en: 'Pothole or sinking road', enEx: 'holes, dips, collapse' },
  { code: '0404', zh: '道路积水', zhEx: '下雨后路面积水过不去', en: 'Flooded road', enEx: 'water standing after rain' },
  { code: '0402', zh: '水管漏水爆管', zhEx: '路边冒水、水管破裂', en: 'Burst water pipe', enEx: 'water welling up, a broken pipe' },
  { code: '0403', zh: '闻到燃气味', zhEx: '室外燃气管道漏气（紧急情况请先拨打 119）', en: 'Smell of gas', enEx: 'a leaking gas pipe outdoors (call 119 first in an emergency)' },
  { code: '1304', zh: '公共设施坏了', zhEx: '健身器材、座椅、护栏、站牌损坏', en: 'Public facility broken', enEx: 'fitness equipment, benches, railings, bus stop signs' },
  { code: '0504', zh: '乱停车', zhEx: '车停在人行道、堵住出入口', en: 'Cars parked badly', enEx: 'on the pavement, blocking an entrance' },
  { code: '0505', zh: '单车电动车乱放', zhEx: '共享单车、电动车堵路', en: 'Bikes left in the way', enEx: 'shared bikes or e-bikes blocking the way' },
  { code: '1202', zh: '楼道里给电动车充电', zhEx: '飞线充电、电动车停在楼道', en: 'E-bike charging indoors', enEx: 'cables from windows, e-bikes in stairwells' },
  { code: '1201', zh: '消防通道堵了', zhEx: '消防通道被占、灭火器缺失', en: 'Fire lane blocked', enEx: 'fire lanes blocked, extinguishers missing' },
  { code: '0502', zh: '占道经营', zhEx: '店铺把货摆到人行道上', en: 'Shops on the pavement', enEx: 'goods and stalls on the pavement' },
  { code: '0506', zh: '露天烧烤油烟', zhEx: '路边烧烤、油烟扰民', en: 'Outdoor barbecue smoke', enEx: 'street barbecues, smoke' },
  { code: '0301', zh: '施工太吵', zhEx: '夜间施工、噪音扰民', en: 'Noisy building work', enEx: 'work at night, noise' },
  { code: '0201', zh: '小广告', zhEx: '乱贴乱画、发放小广告', en: 'Illegal adverts', enEx: 'flyers, graffiti, stickers' },
  { code: '0101', zh: '私搭乱建', zhEx: '违规搭建棚子、围墙', en: 'Illegal structures', enEx: 'sheds or walls built without permission' },
  { code: '1101', zh: '邻里矛盾', zhEx: '楼上漏水、噪音、占用公共空间', en: 'Trouble with neighbours', enEx: 'leaks, noise, shared space taken' },
  { code: '1103', zh: '物业问题', zhEx: '物业不作为、收费纠纷', en: 'Property management', enEx: 'services not done, fee disputes' },
]

/** The words to offer: those whose category the catalogue has. */
export const plainWordsFor = (codes: ReadonlySet<string>) => PLAIN_WORDS.filter((w) => codes.has(w.code))
