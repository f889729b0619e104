import type { RollbackSnapshot } from '../../src/snapshot/train-snapshot';
import { badge, el } from './dom';
import { lookOf, ROLLBACK_OUTCOMES, ROLLBACK_STATES } from './state-words';
import { at } from './time-text';

/** The rollback: its plan in order (reverse dependency order), the leader, each step's action and outcome, what is left. */
export function renderRollback(rollback: RollbackSnapshot, now: number): HTMLElement {
  const look = lookOf(ROLLBACK_STATES, rollback.state);
  const left = rollback.steps.filter((s) => s.outcome === 'pending' || s.outcome === 'inProgress');
  return el(
    'div',
    { className: 'rollback' },
    el('p', null, badge(look.icon, look.word, look.className), ' ', `Rollback of train ${rollback.train}`),
    el('p', null, rollback.leader ? `Led by ${rollback.leader}` : 'No leader yet', rollback.claimants.length > 0 ? `; asked for by ${rollback.claimants.join(', ')}` : ''),
    el('h3', null, `Plan (${rollback.steps.length} step${rollback.steps.length === 1 ? '' : 's'}, in reverse dependency order)`),
    rollback.steps.length > 0
      ? el(
          'ol',
          { className: 'rollback-steps' },
          ...rollback.steps.map((step) => {
            const outcome = lookOf(ROLLBACK_OUTCOMES, step.outcome);
            return el(
              'li',
              { className: `rollback-step ${outcome.className}` },
              badge(outcome.icon, outcome.word, outcome.className),
              ' ',
              el('strong', null, step.label),
              `: ${step.action}${step.target ? ` on ${step.target}` : ''}`,
              step.at ? ` ${at(step.at, now)}` : '',
              step.message ? el('span', { className: 'message' }, ` — ${step.message}`) : null,
            );
          }),
        )
      : el('p', null, 'No steps planned yet.'),
    el('p', { className: 'rollback-left' }, left.length > 0 ? `Still to do: ${left.map((s) => s.label).join(', ')}` : 'Nothing left to do.'),
  );
}
