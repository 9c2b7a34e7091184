import { DomainError } from '@stevedore/domain';
import type {
  ArgInstruction,
  Dockerfile,
  FromInstruction,
  Instruction,
  Stage,
} from './instructions';
import { parseAst, type Node } from './parser/ast';
import { parseInstruction } from './parser/instruction-parser';
import { InstructionError, ParseError } from './parser/parse-error';

export interface ParseOptions {
  /** The Dockerfile's name as the client gave it, for dockerd's `failed to parse <name>: ...`. */
  readonly name?: string;
}

/**
 * Parses a Dockerfile the way dockerd 20.10's classic builder does before its first step. Errors
 * are `DomainError.invalidArgument` with dockerd's words:
 * - `the Dockerfile (Dockerfile) cannot be empty`
 * - `failed to parse Dockerfile: <message>` for the low-level parse (no line number),
 * - `dockerfile parse error line N: <message>` for an instruction,
 * - `no build stage in current context` for an instruction before the first FROM.
 */
export function parseDockerfile(text: string, options: ParseOptions = {}): Dockerfile {
  const name = options.name ?? 'Dockerfile';
  if (text === '') throw DomainError.invalidArgument(`the Dockerfile (${name}) cannot be empty`);
  const ast = parseAstOrThrow(text, name);
  const metaArgs: ArgInstruction[] = [];
  const stages: { from: FromInstruction; instructions: Instruction[] }[] = [];
  for (const node of ast.nodes) {
    const instruction = instructionOrThrow(
      node,
      (message) => `dockerfile parse error line ${node.startLine}: ${message}`,
    );
    if (instruction.kind === 'FROM') {
      stages.push({ from: instruction, instructions: [] });
      continue;
    }
    const current = stages[stages.length - 1];
    if (current) current.instructions.push(instruction);
    else if (instruction.kind === 'ARG') metaArgs.push(instruction);
    else throw DomainError.invalidArgument('no build stage in current context');
  }
  const commands = stages.reduce((sum, stage) => sum + stage.instructions.length, 0);
  return {
    escape: ast.escape,
    metaArgs,
    stages: stages.map((stage, index): Stage => ({ index, ...stage })),
    stepCount: metaArgs.length + stages.length + commands,
    warnings: ast.warnings,
  };
}

/**
 * Parses an ONBUILD trigger when a child build runs it, as dockerd does: a fresh parse of the
 * trigger text (default escape), exactly one instruction, errors without a line prefix.
 */
export function parseOnbuildTrigger(trigger: string): Instruction {
  const ast = parseAstOrThrow(trigger, undefined);
  const node = ast.nodes[0] as Node;
  if (ast.nodes.length !== 1) {
    throw DomainError.invalidArgument('onbuild trigger should be a single expression');
  }
  const instruction = instructionOrThrow(node, (message) => message);
  if (instruction.kind === 'FROM') {
    throw DomainError.invalidArgument('*instructions.Stage is not a command type');
  }
  return instruction;
}

function parseAstOrThrow(text: string, name: string | undefined): ReturnType<typeof parseAst> {
  try {
    return parseAst(text);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const message =
      name === undefined ? error.message : `failed to parse ${name}: ${error.message}`;
    throw DomainError.invalidArgument(message);
  }
}

function instructionOrThrow(
  node: Node,
  format: (message: string) => string,
): Instruction | FromInstruction {
  try {
    return parseInstruction(node);
  } catch (error) {
    if (error instanceof InstructionError) throw DomainError.invalidArgument(format(error.message));
    throw error;
  }
}
