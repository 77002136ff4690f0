import { readFileSync } from 'node:fs'

/** TCP sockets on this machine with `port` at either end (IPv4, from /proc/net/tcp), by state. */
export type TcpCounts = { established: number; timeWait: number }

const ESTABLISHED = '01'
const TIME_WAIT = '06'

/**
 * How many connections touch a local port: ESTABLISHED ones are counted from both ends (client and
 * server socket), so halve them for connections; a TIME_WAIT socket is one closed connection, left on the
 * side that closed first, for 60 s. The growth of TIME_WAIT over a round therefore counts connections
 * opened and closed in it: a client that keeps connections alive leaves none.
 */
export function tcpCounts(port: number): TcpCounts {
  const hex = port.toString(16).toUpperCase().padStart(4, '0')
  let text = ''
  try {
    text = readFileSync('/proc/net/tcp', 'utf8')
  } catch {
    return { established: NaN, timeWait: NaN }
  }
  let established = 0
  let timeWait = 0
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/)
    if (fields.length < 4) continue
    const local = fields[1]!.split(':')[1]
    const remote = fields[2]!.split(':')[1]
    if (local !== hex && remote !== hex) continue
    if (fields[3] === ESTABLISHED) established++
    else if (fields[3] === TIME_WAIT) timeWait++
  }
  return { established, timeWait }
}
