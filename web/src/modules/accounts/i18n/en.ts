// English: the same keys as zh-CN.ts (core/i18n/i18n.test.ts checks).
import type zh from './zh-CN'

const en: typeof zh = {
  login: {
    title: 'Sign in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    demoHint: 'Demo accounts: dispatcher, town, community, worker, handler, leader…, password civicgrid',
    residentLink: 'Resident? Report a problem →',
  },
  admin: {
    users: 'Accounts',
    user: {
      add: 'Add account',
      editTitle: 'Edit account {name}',
      username: 'Username',
      usernameHint: '3–32 letters, digits, _ - .',
      display_name: 'Display name',
      role: 'Role',
      scope: 'Area of work',
      scopeHint: 'District / town / community',
      department: 'Department',
      password: 'Password',
      passwordHint: 'At least 8 characters',
      passwordKeep: 'Leave empty to keep the password',
      search: 'Search username or name',
      count: '{n} accounts',
      added: 'Account {name} added',
      saved: 'Account {name} saved',
    },
    bad: {
      username: 'Username: 3–32 letters, digits, _ - .',
      usernameTaken: 'This username exists already',
      password: 'At least 8 characters',
      scope: 'The area is outside your scope',
      department: 'Choose a valid department (department handlers only)',
      display_name: 'Invalid display name',
      role: 'You cannot take the admin role from yourself',
    },
  },
}
export default en
