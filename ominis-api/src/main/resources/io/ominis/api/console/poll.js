// Refreshes a live page on its own: every INTERVAL_MS (or the page's own interval) while it answers, backing off (doubling up to MAX_MS) while it
// fails, and not at all while the tab is hidden. One poller runs at a time: the page on screen.

export const INTERVAL_MS = 3000;
export const MAX_MS = 60000;

export class Poller {
  constructor(task, report, interval) {
    this.task = task;
    this.report = report;
    this.interval = Math.min(interval || INTERVAL_MS, MAX_MS);
    this.delay = this.interval;
    this.timer = null;
    this.stopped = false;
  }

  start() {
    this.tick();
    return this;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  async tick() {
    if (this.stopped) {
      return;
    }
    if (!document.hidden) {
      try {
        await this.task();
        this.delay = this.interval;
        this.report(null, this.delay);
      } catch (e) {
        this.delay = Math.min(this.delay * 2, MAX_MS);
        this.report(e, this.delay);
      }
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => this.tick(), this.delay);
    }
  }
}
