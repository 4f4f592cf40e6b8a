/** Small presentational building blocks shared by the screens. */
import type { ButtonHTMLAttributes, ReactNode } from 'react'

type Tone = 'default' | 'primary' | 'danger' | 'ghost'

export function Button({
  tone = 'default',
  className,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone }) {
  return <button type="button" className={`btn btn-${tone}${className ? ` ${className}` : ''}`} {...rest} />
}

export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string
  hint?: string
  error?: string | null
  children: ReactNode
}) {
  return (
    <label className={`field${error ? ' field-invalid' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : hint ? (
        <span className="field-hint">{hint}</span>
      ) : null}
    </label>
  )
}

export function ErrorText({ children }: { children: ReactNode }) {
  if (!children) return null
  return (
    <p className="error-text" role="alert">
      {children}
    </p>
  )
}

export function Notice({ children }: { children: ReactNode }) {
  if (!children) return null
  return (
    <p className="notice" role="status">
      {children}
    </p>
  )
}

export function Badge({
  tone,
  children,
  title,
}: {
  tone: 'ok' | 'bad' | 'warn' | 'muted'
  children: ReactNode
  title?: string
}) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  )
}

/** An empty state that says what to do next. */
export function EmptyState({
  title,
  children,
  testId,
}: {
  title: string
  children?: ReactNode
  testId?: string
}) {
  return (
    <section className="empty" data-testid={testId}>
      <h2>{title}</h2>
      {children}
    </section>
  )
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  )
}
