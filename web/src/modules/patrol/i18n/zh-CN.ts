// Simplified Chinese. The patrol and visit log (巡查走访) on the grid worker's phone.
export default {
  patrol: {
    tab: '今日巡查走访',
    title: '今日巡查走访（{n} 条）',
    empty: '今天还没有巡查走访记录',
    kind: { patrol: '巡查', visit: '走访' },
    note: '记录',
    notePlaceholder: '巡查或走访的情况，最多 1000 字',
    noteBad: '请填写 1–1000 字的记录',
    useGps: '附上我的位置',
    locationOptional: '位置（可选）',
    clearLocation: '不附位置',
    add: '添加记录',
    added: '已添加{kind}记录',
    noGrid: '未落入网格',
    locationSet: '已选位置 {lon}, {lat}',
    gpsFailed: '无法获取定位',
  },
}
