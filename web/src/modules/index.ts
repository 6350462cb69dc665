// The modules of the app, one line each, named as the backend's modules. Core builds the routes,
// the messages, the admin page's tabs, the grid worker's phone tabs and the header from this list;
// its order is the order of those tabs.
import type { WebModule } from '@/core/module'
import accounts from '@/modules/accounts'
import caseModule from '@/modules/case'
import evaluation from '@/modules/evaluation'
import geo from '@/modules/geo'
import inbox from '@/modules/inbox'
import patrol from '@/modules/patrol'
import phrases from '@/modules/phrases'
import reference from '@/modules/reference'
import screen from '@/modules/screen'
import timelimit from '@/modules/timelimit'

export const MODULES: readonly WebModule[] = [accounts, reference, timelimit, geo, caseModule, patrol, phrases, inbox, evaluation, screen]
