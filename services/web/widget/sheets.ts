/**
 * The panel's sheets (source panel, handoff and rating dialogs): one open at a time, and closing one returns
 * focus to what opened it (or to the input when that is gone).
 */
export class Sheets {
  private readonly all: HTMLElement[] = []
  private lastFocus: HTMLElement | null = null

  constructor(private readonly fallbackFocus: () => void) {}

  add(sheet: HTMLElement): HTMLElement {
    this.all.push(sheet)
    return sheet
  }

  show(sheet: HTMLElement, from: HTMLElement | null, focus: HTMLElement): void {
    for (const s of this.all) if (s !== sheet) s.hidden = true
    this.lastFocus = from
    sheet.hidden = false
    focus.focus()
  }

  close(sheet: HTMLElement): void {
    sheet.hidden = true
    const back = this.lastFocus
    this.lastFocus = null
    if (back?.isConnected) back.focus()
    else this.fallbackFocus()
  }

  /** Closes the open sheet; false when none was open. */
  closeOpen(): boolean {
    const open = this.all.find((s) => !s.hidden)
    if (open) this.close(open)
    return Boolean(open)
  }

  hideAll(): void {
    for (const s of this.all) s.hidden = true
  }
}
