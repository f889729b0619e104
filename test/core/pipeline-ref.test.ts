import assert from 'node:assert/strict';
import { InputError } from '../../src/errors';
import { parsePipelineRefs } from '../../src/refs/pipeline-ref';

describe('the pipeline reference grammar', () => {
  it('reads names, stages, projects, folders, ids and classic releases, one per line', () => {
    const refs = parsePipelineRefs(
      ['api@Prod', '  Shop/db-migrations@Deploy_Prod ', '\\team\\web', '42', 'release:Legacy Web@Production', '# a comment', '', 'Other Project/\\a\\b\\svc'].join('\n'),
      { allowStage: true },
    );
    assert.deepEqual(
      refs.map(({ kind, project, name, folder, id, stage, line }) => ({ kind, project, name, folder, id, stage, line })),
      [
        { kind: 'yaml', project: undefined, name: 'api', folder: undefined, id: undefined, stage: 'Prod', line: 1 },
        { kind: 'yaml', project: 'Shop', name: 'db-migrations', folder: undefined, id: undefined, stage: 'Deploy_Prod', line: 2 },
        { kind: 'yaml', project: undefined, name: 'web', folder: '\\team', id: undefined, stage: undefined, line: 3 },
        { kind: 'yaml', project: undefined, name: undefined, folder: undefined, id: 42, stage: undefined, line: 4 },
        { kind: 'release', project: undefined, name: 'Legacy Web', folder: undefined, id: undefined, stage: 'Production', line: 5 },
        { kind: 'yaml', project: 'Other Project', name: 'svc', folder: '\\a\\b', id: undefined, stage: undefined, line: 8 },
      ],
    );
  });

  it('keeps the reference as written for messages', () => {
    const [ref] = parsePipelineRefs('  release:Legacy Web@Production  ', { allowStage: true });
    assert.equal(ref.text, 'release:Legacy Web@Production');
  });

  it('rejects an empty list, an empty stage, a second slash and a duplicate with the line number', () => {
    assert.throws(() => parsePipelineRefs('\n  \n# only comments', { allowStage: true }), /No pipeline references given/);
    assert.throws(() => parsePipelineRefs('api@', { allowStage: true }), /Line 1, 'api@': nothing after @/);
    assert.throws(() => parsePipelineRefs('a/b/c', { allowStage: true }), /Line 1, 'a\/b\/c': more than one '\/'/);
    assert.throws(() => parsePipelineRefs('api@Prod\nweb\nAPI@prod', { allowStage: true }), /Line 3, 'API@prod' names the same pipeline and stage as line 1/);
  });

  it('refuses stage parts where a task takes whole pipelines only', () => {
    assert.throws(
      () => parsePipelineRefs('api\nweb@Prod', { allowStage: false }),
      (e: unknown) => e instanceof InputError && /Line 2, 'web@Prod': a stage or environment is not allowed here/.test(e.message),
    );
  });
});
