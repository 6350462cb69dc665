// English: the same keys as zh-CN.ts (core/i18n/i18n.test.ts checks).
import type zh from './zh-CN'

const en: typeof zh = {
  admin: {
    departments: 'Departments',
    categories: 'Categories',
    code: 'Code',
    name: 'Name',
    nameEn: 'English name',
    level: 'Handling level',
    areaCode: 'Area',
    handles: 'Categories handled',
    bad: {
      code: 'Invalid category code, or its main class does not exist',
      name_en: 'Invalid English name',
      priority: 'Invalid priority',
      handling_level: 'The handling level is city, county, town or village',
      id: 'Department id: 3–32 letters, digits, _ - .',
      name: 'Invalid name',
      area: 'The area is outside your scope',
      categories: 'Invalid category',
    },
    dept: {
      add: 'Add department',
      editTitle: 'Edit department {name}',
      id: 'Department id',
      idHint: 'e.g. wh-parks (3–32 letters, digits, _ - .)',
      idTaken: 'This department id exists already',
      name: 'Name',
      name_en: 'English name',
      area: 'Area served',
      categories: 'Categories handled',
      categoriesHint: 'Choose one or more categories',
      categoriesNote: 'A main class covers all its subclasses',
      count: '{n} departments',
      saved: 'Department {name} saved',
    },
    cat: {
      add: 'Add category',
      editTitle: 'Edit category {code} {name}',
      code: 'Category code',
      codeHint: '2 digits for a main class, 4 for a subclass (its first 2 are the main class)',
      name: 'Name',
      name_en: 'English name',
      priority: 'Priority',
      handling_level: 'Handling level',
      count: '{n} categories',
      saved: 'Saved category {code} {name}',
      note: 'Priority and handling level apply to cases reported from now on; only city-level admins may change the catalogue',
      bad: {
        format: 'The code is 2 digits (main class) or 4 (subclass)',
        taken: 'This code is already taken',
        noMain: 'Main class {main} does not exist: add it first',
      },
    },
  },
}
export default en
