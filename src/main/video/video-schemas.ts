/** TypeBox schemas of the video routes' answers: they live in src/shared (the UI reads the same figures). */
export {
  CameraStateSchema,
  CameraVideoStatsSchema,
  VideoStatsSchema,
  type CameraVideoStats,
  type VideoStats,
} from '../../shared/schemas/video'
