/** Admin: areas (zones of the site) for cameras and devices. */
import { useState } from 'react'
import type { Area } from '../../../../shared/schemas/entities'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Button, ErrorText, Field } from '../../components/ui'
import { useStationShallow } from '../../store/context'

function AreaRow({ area, onDelete }: { area: Area; onDelete: () => void }) {
  const update = useStationShallow((s) => ({ update: s.updateArea })).update
  const [name, setName] = useState(area.name)
  const [description, setDescription] = useState(area.description)
  const [error, setError] = useState<string | null>(null)
  const dirty = name !== area.name || description !== area.description
  return (
    <tr>
      <td>
        <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Area name" />
      </td>
      <td>
        <input
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          aria-label="Description"
        />
        <ErrorText>{error}</ErrorText>
      </td>
      <td className="row-actions">
        <Button
          disabled={!dirty}
          onClick={async () => {
            if (!name.trim()) return setError('An area needs a name.')
            const res = await update({ id: area.id, name: name.trim(), description })
            setError(res.ok ? null : res.error)
          }}
        >
          Save
        </Button>
        <Button tone="danger" onClick={onDelete}>
          Delete
        </Button>
      </td>
    </tr>
  )
}

export function AreasAdmin() {
  const s = useStationShallow((s) => ({ areas: s.areas, create: s.createArea, remove: s.deleteArea }))
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [deleting, setDeleting] = useState<Area | null>(null)
  return (
    <div className="admin-section" data-testid="admin-areas">
      <h2>Areas</h2>
      <form
        className="inline-form"
        onSubmit={async (e) => {
          e.preventDefault()
          if (!name.trim()) return setError('An area needs a name.')
          const res = await s.create({ name: name.trim() })
          if (res.ok) {
            setName('')
            setError(null)
          } else setError(res.error)
        }}
      >
        <Field label="New area" error={error}>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="North gate" />
        </Field>
        <Button type="submit" tone="primary">
          Add area
        </Button>
      </form>
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Description</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {s.areas.map((a) => (
            <AreaRow key={`${a.id}:${a.updatedAt}`} area={a} onDelete={() => setDeleting(a)} />
          ))}
        </tbody>
      </table>
      {deleting ? (
        <ConfirmDialog
          title={`Delete area ${deleting.name}?`}
          confirmLabel="Delete"
          tone="danger"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const res = await s.remove(deleting.id)
            return res.ok ? null : res.error
          }}
        >
          <p>Its cameras and devices stay, without an area.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  )
}
