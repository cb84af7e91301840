/** The chat session id in localStorage (survives a reload) and the panel's open state in sessionStorage. */
export class SessionStore {
  private readonly key: string
  id: string | null

  constructor(base: string) {
    this.key = `taxkb.session@${base}`
    this.id = this.read()
  }

  private read(): string | null {
    try {
      return localStorage.getItem(this.key)
    } catch {
      return null
    }
  }

  save(id: string | null): void {
    this.id = id
    try {
      if (id) localStorage.setItem(this.key, id)
      else localStorage.removeItem(this.key)
    } catch {
      /* storage disabled: the session lasts for this page only */
    }
  }

  get wasOpen(): boolean {
    try {
      return sessionStorage.getItem(`${this.key}:open`) === '1'
    } catch {
      return false
    }
  }

  set wasOpen(open: boolean) {
    try {
      if (open) sessionStorage.setItem(`${this.key}:open`, '1')
      else sessionStorage.removeItem(`${this.key}:open`)
    } catch {
      /* ignore */
    }
  }
}
