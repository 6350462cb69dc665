// Simplified Chinese. 常用语 in the case dialogs.
export default {
  phrases: {
    pick: '常用语',
    keep: '存为常用语',
    shared: '公共',
    remove: '删除此常用语',
    none: '暂无常用语',
  },
}
