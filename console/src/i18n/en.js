// The console's own words in English.
export default {
  app: { title: 'Civil Affairs Platform', short: 'Civ' },
  common: {
    yes: 'Yes', no: 'No', none: '—', search: 'Search', reset: 'Reset', create: 'New', submit: 'Submit',
    cancel: 'Cancel', confirm: 'OK', close: 'Close', back: 'Back', loading: 'Loading…', refresh: 'Refresh',
    prev: 'Previous', next: 'Next', total: '{n} in all', page: 'Page {n}', actions: 'Actions',
    download: 'Download', open: 'Open', print: 'Print', add: 'Add', remove: 'Remove', saved: 'Done',
    more: 'More', details: 'Details', run: 'Run', result: 'Result', empty: 'No data', table: 'Table', sort: 'Sort',
    filters: 'Filters', perPage: 'Per page', required: 'required', error: 'Error', view: 'View',
    confirmSend: 'Carry out "{name}"?', rowActions: 'Row actions', language: 'Language',
  },
  nav: {
    home: 'Home', dashboard: 'Indicators', admin: 'Administration', county: 'County', user: 'User',
    changePassword: 'Change password', signOut: 'Sign out', menu: 'Menu', modules: 'Modules',
  },
  signin: {
    title: 'Sign in', user: 'User name', password: 'Password', submit: 'Sign in',
    failed: 'Wrong user name or password', locked: 'Account locked',
    hint: 'Use the account your administrator gave you', expired: 'Your session expired; please sign in again',
  },
  password: {
    title: 'Change password', current: 'Current password', next: 'New password',
    repeat: 'New password again', mismatch: 'The two new passwords differ',
    forced: 'Please change the initial or reset password first.',
    rules: 'At least 12 characters, from at least three of: upper case, lower case, digits, symbols.',
    done: 'Password changed',
  },
  home: {
    title: 'Work to do', queues: 'Work queues', overdue: 'Overdue', none: 'No work queues in this county',
    waiting: 'Waiting', openList: 'Open',
  },
  list: { noRecordPage: 'This list has no record page', createTitle: 'New: {name}' },
  record: {
    fields: 'Details', actions: 'Steps', documents: 'Documents and exports', timeline: 'History',
    noTimeline: 'No history yet', related: 'Related', changes: 'Changes', by: 'By', cause: 'Cause',
    notFound: 'No such record',
  },
  dashboard: {
    title: 'Indicators', from: 'From', to: 'To', module: 'Module', indicator: 'Indicator',
    value: 'Value', unit: 'Unit', byTownship: 'By township', chart: 'Chart', exportCsv: 'Export CSV',
  },
  op: { params: 'Parameters', send: 'Run', download: 'Download file', openPrint: 'Open printable page' },
  errors: {
    network: 'Cannot reach the server', forbidden: 'Not allowed', notFound: 'Not found',
    csrf: 'Request refused; reload the page and try again', passwordRequired: 'Change your password first',
    validation: 'Please check the fields marked in red',
  },
  roles: { clerk: 'Clerk', reviewer: 'Reviewer', approver: 'Approver', auditor: 'Auditor', admin: 'Administrator' },
}
