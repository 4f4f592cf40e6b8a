/** A Playwright reporter that prints why each skipped test was skipped (the list reporter does not). */
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter'

export default class SkipReasons implements Reporter {
  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return
    const reason = test.annotations.find((a) => a.type === 'skip')?.description ?? 'no reason given'
    process.stdout.write(
      `  skipped: ${test.titlePath().filter(Boolean).slice(1).join(' › ')}\n    reason: ${reason}\n`,
    )
  }
}
