// What a module hands to core: its routes, its messages, and the pieces it adds to shared screens
// (a tab of the admin page, a tab of the grid worker's phone, an item of the header, a badge on a
// menu item). Core reads them from the one list in modules/index.ts, so a new module registers
// there in one line and touches no core file (only core/access.ts, when it brings a screen
// someone must be let into).
import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'
import type { Screen } from './access'

/** A message tree of one language. Modules may share a branch (`admin`), never a key. */
export type Messages = { [key: string]: string | Messages }

/** A tab of the admin page (系统管理); `label` is a message key. */
export interface AdminTab {
  name: string
  label: string
  component: Component
  /** Mounted on first view rather than with the page (for tabs that fetch much). */
  lazy?: boolean
}

/**
 * A tab of the grid worker's phone screen, after the worker's cases. The component gets `active`
 * (true while its tab shows) to refresh what it lists.
 */
export interface PhoneTab {
  name: string
  label: string
  component: Component
}

export interface WebModule {
  /** The backend module of the same name (a folder of the same name in each crate). */
  name: string
  routes?: RouteRecordRaw[]
  messages: { 'zh-CN': Messages; en: Messages }
  adminTabs?: AdminTab[]
  phoneTabs?: PhoneTab[]
  /** Shown in the header for signed-in staff (and on the command-centre screen); gets `compact` and `dark`. */
  headerItems?: Component[]
  /**
   * Shown inside a screen's menu item (a count of what waits there, like the workbench's); gets
   * `compact`. Each decides itself whether it shows, and for whom.
   */
  navBadges?: Partial<Record<Screen, Component>>
}

declare module 'vue-router' {
  interface RouteMeta {
    layout?: 'staff' | 'phone' | 'bare'
    /** The screen of core/access.ts this route shows: who may open it comes from there. */
    screen?: Screen
    /** A page for anyone signed in, whatever the role, outside the menu (the printable 考核办法). */
    signedIn?: boolean
    /** Open to anyone, signed in or not (the login, the resident's page). */
    public?: boolean
  }
}
