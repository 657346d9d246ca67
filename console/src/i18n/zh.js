// The console's own words in Chinese (the default). Module words come from the API document.
export default {
  app: { title: '民政业务平台', short: '民政' },
  common: {
    yes: '是', no: '否', none: '—', search: '查询', reset: '重置', create: '新建', submit: '提交',
    cancel: '取消', confirm: '确定', close: '关闭', back: '返回', loading: '加载中…', refresh: '刷新',
    prev: '上一页', next: '下一页', total: '共 {n} 条', page: '第 {n} 页', actions: '操作',
    download: '下载', open: '打开', print: '打印', add: '添加', remove: '删除', saved: '已提交',
    more: '更多', details: '详情', run: '执行', result: '结果', empty: '暂无数据', table: '数据表', sort: '排序',
    filters: '筛选', perPage: '每页', required: '必填', error: '出错了', view: '查看',
    confirmSend: '确定执行“{name}”吗？', rowActions: '行操作', language: '语言',
  },
  nav: {
    home: '首页', dashboard: '指标', admin: '管理', county: '县区', user: '用户',
    changePassword: '修改密码', signOut: '退出登录', menu: '功能菜单', modules: '业务模块',
  },
  signin: {
    title: '登录', user: '用户名', password: '密码', submit: '登录', failed: '用户名或密码错误',
    locked: '账户已锁定：密码连续输错次数过多，请稍后再试或联系管理员解锁', hint: '请使用管理员分配的账户登录', expired: '会话已过期，请重新登录',
  },
  password: {
    title: '修改密码', current: '当前密码', next: '新密码', repeat: '再次输入新密码',
    mismatch: '两次输入的新密码不一致', forced: '首次登录或密码已重置，请先修改密码。',
    rules: '至少 12 位，包含大写字母、小写字母、数字和符号中的至少三类。', done: '密码已修改',
  },
  home: {
    title: '待办事项', queues: '工作队列', overdue: '超期', none: '当前县区没有待办队列',
    waiting: '待办', openList: '进入',
  },
  list: { noRecordPage: '此列表没有详情页', createTitle: '新建：{name}' },
  record: {
    fields: '基本信息', actions: '办理', documents: '文书与导出', timeline: '办理记录',
    noTimeline: '暂无办理记录', related: '相关信息', changes: '变更', by: '经办人',
    cause: '起因', notFound: '记录不存在',
  },
  dashboard: {
    title: '业务指标', from: '起始日期', to: '截止日期', module: '模块', indicator: '指标',
    value: '数值', unit: '单位', byTownship: '按乡镇（街道）', chart: '图表', exportCsv: '导出 CSV',
  },
  op: { params: '参数', send: '执行', download: '下载文件', openPrint: '打开打印页' },
  errors: {
    network: '无法连接服务器', forbidden: '没有权限', notFound: '未找到', csrf: '请求被拒绝，请刷新页面后重试',
    passwordRequired: '请先修改密码', validation: '请检查标红的字段',
  },
  roles: {
    clerk: '经办人', reviewer: '审核人', approver: '审批人', auditor: '审计员', admin: '管理员',
  },
}
