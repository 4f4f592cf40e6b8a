// Electron entry point (`npm start`). The station core itself never imports electron; see headless.ts.
import './electron/main'
