import type { MemberSnapshot, StageSnapshot } from '../../src/snapshot/train-snapshot';
import { badge, el, runLink } from './dom';
import { renderStep } from './render-step';
import { CHECK_LOOK, lookOf, RUN_STATES } from './state-words';
import { at, since, took, words } from './time-text';

/** One member of the train as a card: its run (linked), the Lockstep step it is in, its stages in order. */
export function renderMember(member: MemberSnapshot, now: number, id: string): HTMLElement {
  const kind = member.kind === 'release' ? 'Classic release' : 'YAML pipeline';
  const card = el(
    'li',
    { className: 'member', attrs: { 'aria-labelledby': id, 'data-member': member.label } },
    el('h3', { attrs: { id } }, member.label, ' ', el('span', { className: 'kind' }, kind)),
  );
  if (member.unreadable) {
    card.append(el('p', { className: 'unreadable', attrs: { role: 'status' } }, badge('⚠', 'Not readable:', 'st-warn'), ' ', member.unreadable));
  }
  card.append(renderRun(member, now));
  if (member.step) card.append(renderStep(member.step, now));
  if (member.stages.length > 0) {
    card.append(
      el('ol', { className: 'stages', attrs: { 'aria-label': member.kind === 'release' ? 'Environments' : 'Stages' } }, ...member.stages.map((s) => renderStage(s, now))),
    );
  }
  return card;
}

function renderRun(member: MemberSnapshot, now: number): HTMLElement {
  const run = member.run;
  if (!run) {
    return el('p', { className: 'run' }, member.noRun ?? (member.unreadable ? `No run shown for ${member.definitionName}.` : `No run of ${member.definitionName} in this train yet.`));
  }
  const look = lookOf(RUN_STATES, run.state);
  const timing =
    run.finishedAt ? words('finished', at(run.finishedAt, now), took(run.startedAt ?? run.queuedAt, run.finishedAt))
    : run.startedAt ? since(run.startedAt, now)
    : run.queuedAt ? since(run.queuedAt, now)
    : '';
  return el(
    'p',
    { className: 'run' },
    `${member.kind === 'release' ? 'Release' : 'Run'} `,
    runLink(run.name, run.webUrl),
    ` of ${run.definitionName} `,
    badge(look.icon, look.word, look.className),
    timing ? ` ${timing}` : '',
  );
}

function renderStage(stage: StageSnapshot, now: number): HTMLElement {
  const look = lookOf(RUN_STATES, stage.state);
  const timing =
    stage.finishedAt ? words(at(stage.finishedAt, now), took(stage.startedAt, stage.finishedAt))
    : stage.startedAt ? words(since(stage.startedAt, now))
    : '';
  return el(
    'li',
    { className: `stage ${look.className}` },
    badge(look.icon, look.word, look.className),
    ' ',
    el('span', { className: 'stage-name' }, stage.name),
    stage.attempt > 1 ? ` (attempt ${stage.attempt})` : '',
    timing ? ` ${timing}` : '',
    stage.pendingChecks.length > 0
      ? el(
          'ul',
          { className: 'checks' },
          ...stage.pendingChecks.map((check) =>
            el('li', { className: `check ${CHECK_LOOK.className}` }, badge(CHECK_LOOK.icon, `${CHECK_LOOK.word} ${check.kind}`, CHECK_LOOK.className), check.name ? `: ${check.name}` : '', check.since ? ` ${since(check.since, now)}` : ''),
          ),
        )
      : null,
  );
}

