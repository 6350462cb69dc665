// Builds one language's messages from core's and every module's files.
import type { Messages } from '../module'

export interface MessagePart {
  owner: string
  messages: Messages
}

/**
 * The parts merged into one tree. Parts may add to the same branch (`admin.*` comes from core,
 * accounts, reference and timelimit), but a key given twice is a mistake: it throws, naming both
 * owners, rather than letting the later file win unseen.
 */
export function mergeMessages(parts: MessagePart[]): Messages {
  const out: Messages = {}
  const owners = new Map<string, string>()
  for (const p of parts) mergeInto(out, p.messages, '', p.owner, owners)
  return out
}

function mergeInto(into: Messages, from: Messages, prefix: string, owner: string, owners: Map<string, string>) {
  for (const [k, v] of Object.entries(from)) {
    const key = prefix + k
    const there = into[k]
    if (typeof v === 'string' || typeof there === 'string') {
      if (there !== undefined) throw new Error(`message ${key}: given by ${owners.get(key) ?? 'a branch'} and by ${owner}`)
      into[k] = v
      owners.set(key, owner)
      continue
    }
    const branch: Messages = there ?? {}
    into[k] = branch
    mergeInto(branch, v, key + '.', owner, owners)
  }
}
