// 常用语: the reader's phrases (shared first, then his own), keeping and removing one.
import { query, request } from '@/core/http'

export type PhraseKind = 'instruction' | 'rejection' | 'feedback'
export interface Phrase { id: string; kind: PhraseKind; text: string; owner: string | null; area: string; created_at: string }

export const phraseApi = {
  list: (kind?: PhraseKind) => request<Phrase[]>('GET', '/phrases' + query({ kind })),
  add: (kind: PhraseKind, text: string, shared = false) => request<Phrase>('POST', '/phrases', { kind, text, shared }),
  remove: (id: string) => request<void>('DELETE', `/phrases/${encodeURIComponent(id)}`),
}
