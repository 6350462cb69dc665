// Reference data fetched once per page load (the server caches it for 30 s anyway): the
// departments, the categories, and the names of areas as screens show them.
import { reactive } from 'vue'
import { coreApi, type Category, type Department } from './api'

let departments: Promise<Department[]> | null = null
let categories: Promise<Category[]> | null = null

export function allDepartments(): Promise<Department[]> {
  departments ??= coreApi.departments().catch((e) => {
    departments = null
    throw e
  })
  return departments
}

export function allCategories(): Promise<Category[]> {
  categories ??= coreApi.categories().catch((e) => {
    categories = null
    throw e
  })
  return categories
}

// Shared by every screen, so a name fetched for one table shows at once in the next.
const areaNames = reactive<Record<string, string>>({})

/** The name of an area, '' until it has arrived (it is reactive: a template shows it then). */
export function areaName(code: string): string {
  if (!code) return ''
  if (!(code in areaNames)) {
    areaNames[code] = ''
    // A failure keeps '' rather than asking again on every render.
    coreApi.area(code).then((a) => (areaNames[code] = a.name), () => {})
  }
  return areaNames[code]
}
