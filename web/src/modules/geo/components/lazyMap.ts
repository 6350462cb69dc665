// The map for screens where it is one part among others (a case's detail, a report form, a
// dialog): MapLibre (300 KB compressed) and its styles load when such a map first shows, not
// with the screen. Screens that are a map (the grid map, the command-centre wall) import
// CaseMap.vue itself.
import { defineAsyncComponent } from 'vue'

/** CaseMap.vue, loaded on first use. */
export const LazyCaseMap = defineAsyncComponent(() => import('./CaseMap.vue'))
