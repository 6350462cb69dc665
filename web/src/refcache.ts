// Reference data fetched once per page load (the server caches it for 30 s anyway).
import { api, type Category, type Department } from './api'

let departments: Promise<Department[]> | null = null
let categories: Promise<Category[]> | null = null

export function allDepartments(): Promise<Department[]> {
  departments ??= api.departments().catch((e) => {
    departments = null
    throw e
  })
  return departments
}

export function allCategories(): Promise<Category[]> {
  categories ??= api.categories().catch((e) => {
    categories = null
    throw e
  })
  return categories
}
