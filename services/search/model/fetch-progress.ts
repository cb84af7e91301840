/** fetchModel with a terminal progress bar (CLI and `npm start`); quiet when stderr is not a TTY. */
import cliProgress from 'cli-progress'
import { fetchModel, type FetchResult } from './model-fetch.js'

export async function fetchModelWithProgress(modelDir: string): Promise<FetchResult> {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: '{phase} [{bar}] {percentage}%', stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null
  let phase = ''
  try {
    return await fetchModel({
      modelDir,
      log: (line) => console.error(line),
      onProgress: (p) => {
        if (!bar) return
        if (p.phase !== phase) {
          if (phase) bar.stop()
          phase = p.phase
          bar.start(p.total, p.done, { phase: p.phase === 'download' ? '下载模型 download' : '解压模型 unpack' })
        } else bar.update(p.done)
      },
    })
  } finally {
    if (phase) bar?.stop()
  }
}
