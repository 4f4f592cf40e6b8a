/** Sign-in for guards and admins: clear errors, and why the guard is here again after an expiry. */
import { useState, type FormEvent } from 'react'
import { ErrorText, Field, Notice } from '../components/ui'
import { useStationShallow } from '../store/context'

export function Login() {
  const s = useStationShallow((s) => ({ session: s.session, login: s.login }))
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const busy = s.session.status === 'signingIn'

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!username.trim()) return setProblem('Enter your username.')
    if (!password) return setProblem('Enter your password.')
    setProblem(null)
    const ok = await s.login(username.trim(), password)
    if (!ok) setPassword('')
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} noValidate aria-label="Sign in">
        <h1>Guard Station</h1>
        <Notice>{s.session.notice}</Notice>
        <Field label="Username">
          <input
            name="username"
            autoComplete="username"
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            data-testid="login-username"
          />
        </Field>
        <Field label="Password">
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        </Field>
        <ErrorText>{problem ?? s.session.error}</ErrorText>
        <button
          type="submit"
          className="btn btn-primary btn-block"
          disabled={busy}
          data-testid="login-submit"
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
