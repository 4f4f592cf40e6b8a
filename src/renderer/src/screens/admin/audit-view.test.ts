import { describe, expect, it } from 'vitest'
import { actorLabel, changeSummary, fromLocalInput, targetLabel } from './audit-view'

describe('audit view', () => {
  it('names the actor and the target', () => {
    expect(actorLabel({ actorKind: 'user', actorName: 'alice' })).toBe('alice')
    expect(actorLabel({ actorKind: 'anonymous', actorName: 'admin' })).toBe('admin (not signed in)')
    expect(actorLabel({ actorKind: 'system', actorName: null })).toBe('system')
    expect(targetLabel({ targetKind: 'camera', targetId: '3' })).toBe('camera 3')
    expect(targetLabel({ targetKind: null, targetId: null })).toBe('')
  })

  it('summarises what changed, what was created and what was removed', () => {
    expect(
      changeSummary({
        before: { name: 'Gate', fps: 5, updatedAt: 1 },
        after: { name: 'Main gate', fps: 5, updatedAt: 2 },
      }),
    ).toBe('name: Gate → Main gate')
    expect(changeSummary({ before: null, after: { id: 1, name: 'Yard' } })).toBe('Yard')
    expect(changeSummary({ before: { username: 'bob' }, after: null })).toBe('was bob')
    expect(changeSummary({ before: null, after: null })).toBe('')
  })

  it('reads datetime-local inputs', () => {
    expect(fromLocalInput('')).toBeUndefined()
    expect(fromLocalInput('2024-05-01T08:30')).toBe(new Date('2024-05-01T08:30').getTime())
  })
})
