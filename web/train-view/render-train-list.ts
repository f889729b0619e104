import type { TrainList, TrainSummary } from '../../src/snapshot/list-trains';
import { badge, el } from './dom';
import { lookOf, RUN_STATES, type StateLook } from './state-words';
import { at } from './time-text';

const TRAIN_STATES: Record<TrainSummary['state'], StateLook> = {
  inProgress: { icon: '▶', word: 'Running', className: 'st-running' },
  failed: { icon: '✗', word: 'Failed', className: 'st-bad' },
  succeeded: { icon: '✓', word: 'Succeeded', className: 'st-ok' },
};

/**
 * The hub's list: the project's trains, the running ones first, then newest first, each with its runs and a button
 * that shows it. `missing` names a train the address asked for that is not among them.
 */
export function renderTrainList(project: string, list: TrainList, now: number, choose: (train: TrainSummary) => void, missing?: string): HTMLElement {
  const reach = `the newest runs and classic releases of ${project}`;
  return el(
    'section',
    { className: 'train-list', attrs: { 'aria-labelledby': 'h-trains' } },
    el('h2', { attrs: { id: 'h-trains' } }, `Release trains of project ${project}`),
    missing ? el('p', { className: 'error', attrs: { role: 'status' } }, `Train ${missing} is not among ${reach} yet: it opens here as soon as one of its runs records a Lockstep step. Or choose one below, or open a train by a run's id.`) : null,
    ...list.notices.map((notice) => el('p', { className: 'unreadable', attrs: { role: 'status' } }, badge('⚠', 'Note:', 'st-warn'), ' ', notice)),
    list.trains.length === 0
      ? el('p', { className: 'empty' }, `No release train in ${reach}: no Lockstep step has recorded anything there yet.`)
      : el('ul', { className: 'trains' }, ...list.trains.map((train, i) => trainItem(train, now, choose, `train-${i}`))),
    el('p', { className: 'origin' }, `Newest first, running ones on top; ${list.requests} requests.`),
  );
}

function trainItem(train: TrainSummary, now: number, choose: (train: TrainSummary) => void, id: string): HTMLElement {
  const look = TRAIN_STATES[train.state];
  const button = el('button', { attrs: { type: 'button', 'aria-describedby': id } }, 'Show this train');
  button.addEventListener('click', () => choose(train));
  return el(
    'li',
    { className: 'member', attrs: { 'data-train': train.train } },
    el('h3', { attrs: { id } }, train.train),
    el('p', null, badge(look.icon, look.word, look.className), train.lastActivity ? ` · last run queued ${at(train.lastActivity, now)}` : '', ' ', button),
    el(
      'ul',
      { className: 'train-runs' },
      ...train.runs.map((run) => {
        const state = lookOf(RUN_STATES, run.state);
        return el('li', null, el('strong', null, run.definitionName), ` ${run.name} `, badge(state.icon, state.word, state.className));
      }),
    ),
  );
}
