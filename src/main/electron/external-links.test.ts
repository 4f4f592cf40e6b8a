/** shell.openExternal only for http(s) links the app built itself. */
import { describe, expect, it } from 'vitest'
import { createExternalLinks } from './external-links'

describe('external links', () => {
  const setup = () => {
    const opened: string[] = []
    const refused: string[] = []
    const links = createExternalLinks(
      { openExternal: async (url) => void opened.push(url) },
      { warn: (obj) => void refused.push((obj as { url: string }).url) },
    )
    return { links, opened, refused }
  }

  it('opens a link the app built', async () => {
    const { links, opened } = setup()
    const url = links.build('http://127.0.0.1:8787/')
    expect(await links.open(url)).toBe(true)
    expect(opened).toEqual(['http://127.0.0.1:8787/'])
  })

  it('refuses links the app did not build, even http(s) ones', async () => {
    const { links, opened, refused } = setup()
    links.build('http://127.0.0.1:8787/')
    expect(await links.open('https://example.com/')).toBe(false)
    expect(await links.open('http://127.0.0.1:8787/api/users')).toBe(false)
    expect(opened).toEqual([])
    expect(refused).toEqual(['https://example.com/', 'http://127.0.0.1:8787/api/users'])
  })

  it('builds only http(s) links', async () => {
    const { links, opened } = setup()
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-settings:',
      'not a url',
    ]) {
      expect(() => links.build(url)).toThrow(/only http\(s\)/)
      expect(await links.open(url)).toBe(false)
    }
    expect(opened).toEqual([])
  })
})
