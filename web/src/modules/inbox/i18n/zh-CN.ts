// Simplified Chinese. The inbox (消息): the bell and its notices.
export default {
  inbox: {
    title: '消息',
    bell: '消息通知',
    bellUnread: '消息通知（{n} 条未读）',
    unread: '{n} 条未读',
    markAll: '全部已读',
    marked: '已将 {n} 条消息标为已读',
    unreadOnly: '只看未读',
    empty: '暂无消息',
    emptyUnread: '没有未读消息',
    case: '工单 {code}',
    kind: {
      dispatched: '派遣',
      deadline_warned: '时限预警',
      overdue: '超期',
      supervised: '督办',
      returned: '退回',
      escalated: '升级',
      reopened: '重办',
      closed: '结案',
      rated: '评价',
      other: '通知',
    },
  },
}
