// Electron entry point (`npm start`, the installers). The station core never imports electron: the
// shell in ./electron hands it the Electron module; `npm run headless` runs the core without it.
import './electron/main'
