/**
 * A failure of the low-level parse. dockerd reports these as `failed to parse <Dockerfile>: <message>`
 * (no line number), unlike instruction errors (`dockerfile parse error line N: <message>`).
 */
export class ParseError extends Error {}

/** A failure of one instruction; dockerd reports it as `dockerfile parse error line N: <message>`. */
export class InstructionError extends Error {}
