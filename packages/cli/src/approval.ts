import { stripVTControlCharacters as stripStyle } from 'node:util';
import type { CommandContext } from './command-context.js';
import { ExitCode } from './exit-codes.js';

/** What a command asks approval for, in the words it uses. */
export interface ApprovalRequest {
  /** `--auto-approve` was given: approved without asking. */
  readonly autoApprove: boolean | undefined;
  /** The yes/no question, for example "Apply these 26 changes to demo?". */
  readonly question: string;
  /** What was not done, for example "Nothing applied." */
  readonly refused: string;
  /** How to go ahead without a terminal, for example "Re-run with --auto-approve." */
  readonly howToApprove: string;
  /** `--json`: the refusal is a `cli.not-approved` JSON line, as all of stderr is then. */
  readonly json?: boolean | undefined;
}

/**
 * Approval for a change: `--auto-approve`, or a yes at the prompt on a terminal (the default
 * is no). Without a terminal to ask on it refuses at once instead of waiting for input that
 * never comes. A refusal is printed and recorded as {@link ExitCode.NotApproved}.
 */
export async function approve(ctx: CommandContext, request: ApprovalRequest): Promise<boolean> {
  if (request.autoApprove === true) return true;
  const { io, palette } = ctx;
  const confirm = io.confirm;
  if (confirm === undefined) {
    refuseWithoutTerminal(ctx, request);
    return false;
  }
  if (await confirm(request.question)) return true;
  refuse(ctx, request, 'declined', `${palette.warning(request.refused)} (not approved)`);
  return false;
}

/**
 * The refusal when approval is needed and there is no terminal to ask on: printed, and
 * recorded as {@link ExitCode.NotApproved}. For commands that refuse before any work.
 */
export function refuseWithoutTerminal(
  ctx: CommandContext,
  request: Pick<ApprovalRequest, 'refused' | 'howToApprove' | 'json'>,
): void {
  const text = `${ctx.palette.warning(request.refused)} There is no terminal to ask for approval on. ${request.howToApprove}`;
  refuse(ctx, request, 'no-terminal', text);
}

function refuse(
  ctx: CommandContext,
  request: Pick<ApprovalRequest, 'json'>,
  reason: 'declined' | 'no-terminal',
  text: string,
): void {
  ctx.io.stderr(
    request.json === true
      ? `${JSON.stringify({ type: 'cli.not-approved', reason, message: stripStyle(text) })}\n`
      : `${text}\n`,
  );
  ctx.exitWith(ExitCode.NotApproved);
}
