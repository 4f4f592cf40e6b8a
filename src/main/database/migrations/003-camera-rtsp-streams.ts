import type { Migration } from './index'

/** RTSP cameras get an optional sub stream (grid tiles) and a transport for RTP, tcp unless set (issue 10). */
export const m003CameraRtspStreams: Migration = {
  version: 3,
  name: 'camera sub_url and transport',
  up: (db) => {
    db.exec(`
      ALTER TABLE cameras ADD COLUMN sub_url TEXT;
      ALTER TABLE cameras ADD COLUMN transport TEXT NOT NULL DEFAULT 'tcp' CHECK (transport IN ('tcp','udp'));
    `)
  },
}
