import { describe, expect, it } from 'vitest'
import type { EventView } from '../api'
import { caseAttachments, checkPhoto, fmtBytes, MAX_PHOTO_BYTES, roomFor, splitAttachments, uploadErrorKey } from './uploads'

describe('checkPhoto', () => {
  it('takes JPEG, PNG and WebP up to 10 MiB', () => {
    expect(checkPhoto({ type: 'image/jpeg', size: 1 })).toBeNull()
    expect(checkPhoto({ type: 'image/png', size: MAX_PHOTO_BYTES })).toBeNull()
    expect(checkPhoto({ type: 'image/webp', size: 2048 })).toBeNull()
    expect(checkPhoto({ type: 'IMAGE/JPEG', size: 5 })).toBeNull()
  })
  it('refuses other types before sending', () => {
    expect(checkPhoto({ type: 'image/heic', size: 100 })).toBe('badType')
    expect(checkPhoto({ type: 'image/gif', size: 100 })).toBe('badType')
    expect(checkPhoto({ type: 'application/pdf', size: 100 })).toBe('badType')
    expect(checkPhoto({ type: '', size: 100 })).toBe('badType')
  })
  it('refuses files over 10 MiB and empty ones', () => {
    expect(checkPhoto({ type: 'image/jpeg', size: MAX_PHOTO_BYTES + 1 })).toBe('tooLarge')
    expect(checkPhoto({ type: 'image/jpeg', size: 0 })).toBe('empty')
  })
})

describe('roomFor', () => {
  it('keeps to nine photos', () => {
    expect(roomFor(0, 3)).toBe(3)
    expect(roomFor(7, 5)).toBe(2)
    expect(roomFor(9, 1)).toBe(0)
    expect(roomFor(0, 20)).toBe(9)
    expect(roomFor(1, 5, 3)).toBe(2)
  })
})

describe('uploadErrorKey', () => {
  it("tells the API's refusals apart", () => {
    expect(uploadErrorKey({ status: 413, code: 'payload_too_large' })).toBe('tooLarge')
    expect(uploadErrorKey({ status: 413, code: 'internal' })).toBe('tooLarge')
    expect(uploadErrorKey({ status: 422, code: 'invalid_field', field: 'content-type' })).toBe('badType')
    expect(uploadErrorKey({ status: 422, code: 'invalid_field', field: 'body' })).toBe('notImage')
    expect(uploadErrorKey({ status: 0, code: 'network' })).toBe('network')
    expect(uploadErrorKey({ status: 500, code: 'internal' })).toBe('failed')
  })
})

describe('attachments of a case', () => {
  it('splits photo ids from links', () => {
    expect(splitAttachments(['a1', 'https://x.org/p.jpg', 'HTTP://y/z', 'ftp://no'])).toEqual({
      photos: ['a1', 'ftp://no'],
      links: ['https://x.org/p.jpg', 'HTTP://y/z'],
    })
  })
  it("groups the report's and the events' attachments, each once", () => {
    const ev = (seq: number, type: string, data: Record<string, unknown> = {}): EventView => ({
      seq, at: `2026-11-23T10:0${seq}:00Z`, actor: { kind: 'user', name: 'x' }, type, data,
    })
    const events = [
      ev(1, 'reported', { attachments: ['p1'] }),
      ev(2, 'accepted'),
      ev(3, 'handled', { feedback: 'ok', attachments: ['p2', 'https://cdn.example/1.jpg'] }),
      ev(4, 'closed_on_spot', { attachments: [] }),
    ]
    const g = caseAttachments(['p1', 'https://open311.example/a.png'], events)
    expect(g).toEqual([
      { source: 'reported', at: '2026-11-23T10:01:00Z', photos: ['p1'], links: ['https://open311.example/a.png'] },
      { source: 'handled', at: '2026-11-23T10:03:00Z', photos: ['p2'], links: ['https://cdn.example/1.jpg'] },
    ])
    expect(caseAttachments([], [])).toEqual([])
  })
})

describe('fmtBytes', () => {
  it('reads like people write sizes', () => {
    expect(fmtBytes(500)).toBe('500 B')
    expect(fmtBytes(2048)).toBe('2 KB')
    expect(fmtBytes(MAX_PHOTO_BYTES)).toBe('10.0 MB')
  })
})
