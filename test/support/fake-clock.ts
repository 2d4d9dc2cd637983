/** A clock a test moves by hand, injected wherever Vigil asks for the time. */
export class FakeClock {
  private current: number;

  constructor(start: string | Date = "2026-11-23T12:00:00Z") {
    this.current = new Date(start).getTime();
  }

  readonly now = (): Date => new Date(this.current);

  advance(ms: number): void {
    this.current += ms;
  }

  set(to: string | Date): void {
    this.current = new Date(to).getTime();
  }
}
