// The phone's position for the screens that report or log where someone stands.
import type { Location } from './api'

const micro = (x: number) => Math.round(x * 1e6) / 1e6

/** The phone's position (WGS84, to the micro-degree); rejects when the browser cannot or may not give it. */
export function phonePosition(): Promise<Location> {
  return new Promise((resolve, reject) => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) return reject(new Error('no geolocation'))
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: micro(p.coords.longitude), lat: micro(p.coords.latitude) }),
      reject,
      { enableHighAccuracy: true, timeout: 10000 },
    )
  })
}
