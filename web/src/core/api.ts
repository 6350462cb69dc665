// What every module's API shares: who is signed in, the areas, and the reference data (categories,
// departments) that reports, filters and forms are made of. The session and reference endpoints
// live here rather than in `accounts` and `reference` because core's session, pickers and
// refcache read them; those modules keep what only their screens send.
import { query, request } from './http'

export type Role =
  | 'resident' | 'grid_worker' | 'community_admin' | 'town_dispatcher' | 'district_dispatcher'
  | 'department_handler' | 'mediator' | 'leader' | 'admin'
export type Priority = 'normal' | 'high' | 'urgent'
/** The priorities of a category and of a case (一般, 紧急, 特急). */
export const PRIORITIES: Priority[] = ['normal', 'high', 'urgent']
export type AreaLevel = 'province' | 'city' | 'county' | 'town' | 'village'

export interface User {
  id: string
  username: string
  display_name: string
  role: Role
  scope: string
  department: string | null
}
export interface AreaRef { code: string; name: string; level: AreaLevel }
export interface AreaView extends AreaRef { parent: string | null; path: AreaRef[] }
export interface CategoryRef { code: string; name: string; name_en: string }
export interface Category extends CategoryRef { parent: string | null; priority: Priority; handling_level: AreaLevel }
export interface Department { id: string; name: string; name_en: string; area: string; categories: string[] }
export interface Location { lon: number; lat: number }
/** Coordinate systems the API converts from (China's GCJ-02 and Baidu's BD-09 included). */
export type Crs = 'wgs84' | 'gcj02' | 'bd09' | 'cgcs2000'

export const coreApi = {
  login: (username: string, password: string) =>
    request<{ user: User; expires_at: string }>('POST', '/session', { username, password }),
  logout: () => request<unknown>('DELETE', '/session'),
  me: () => request<User>('GET', '/me'),
  area: (code: string) => request<AreaView>('GET', `/areas/${encodeURIComponent(code)}`),
  areaChildren: (code: string) => request<AreaRef[]>('GET', `/areas/${encodeURIComponent(code)}/children`),
  categories: () => request<Category[]>('GET', '/categories'),
  departments: (category?: string, area?: string) => request<Department[]>('GET', '/departments' + query({ category, area })),
}
