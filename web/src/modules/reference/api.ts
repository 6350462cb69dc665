// Reference data's API: the admin's changes to departments and the category catalogue. Reading
// them is core's (core/api.ts), as reports, filters and forms everywhere need them.
import type { AreaLevel, Category, Department, Priority } from '@/core/api'
import { request } from '@/core/http'

/** `PUT /admin/categories/{code}`. */
export interface CategoryInput { name: string; name_en: string; priority: Priority; handling_level: AreaLevel }
export interface DepartmentInput { name: string; name_en: string; area: string; categories: string[] }
export { PRIORITIES } from '@/core/api'
/** The levels a category may be handled at (not the province). */
export const HANDLING_LEVELS: AreaLevel[] = ['city', 'county', 'town', 'village']

export const referenceApi = {
  putDepartment: (id: string, d: DepartmentInput) => request<Department>('PUT', `/admin/departments/${encodeURIComponent(id)}`, d),
  putCategory: (code: string, c: CategoryInput) => request<Category>('PUT', `/admin/categories/${encodeURIComponent(code)}`, c),
}
