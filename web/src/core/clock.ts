// One clock for the deadlines on screen: a shared `now` that ticks every 30 s while any
// component uses it (rows of a long list share the one timer).
import { onBeforeUnmount, ref } from 'vue'

const TICK_MS = 30_000
const now = ref(new Date())
let users = 0
let timer: ReturnType<typeof setInterval> | null = null

export function useNow() {
  users++
  if (!timer) {
    now.value = new Date()
    timer = setInterval(() => (now.value = new Date()), TICK_MS)
  }
  onBeforeUnmount(() => {
    if (--users === 0 && timer) {
      clearInterval(timer)
      timer = null
    }
  })
  return now
}
