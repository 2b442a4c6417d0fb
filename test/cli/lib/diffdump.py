#!/usr/bin/env python3
"""diffdump.py DB ASSESSMENT_ID AUDIT_SEQ — the database state one
assessment's steps left (test/cli/differential.sh): the assessment row, its
answers and their versions, the current answers, transitions, submissions,
return reasons, seals, its recognition decision, its published result, and
the audit rows after AUDIT_SEQ, one line each, with time, the ids of
sessions and tokens and the channel normalised away. Audit rows of signing
in and of API tokens are the channel itself: left out. DB is an SQLite file
or a postgresql:// URL (read with psql: a dump compares with dumps of the
same engine)."""
import csv, io, json, re, sqlite3, subprocess, sys

TIME = re.compile(r'\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?')
CHANNEL = ('session', 'api_token', 'signin', 'token')


def norm(v):
    if isinstance(v, str):
        v = TIME.sub('<time>', v)
        try:
            j = json.loads(v)
        except ValueError:
            return v
        if isinstance(j, (dict, list)):
            return json.dumps(j, sort_keys=True, ensure_ascii=False)
    return v


class Pg:
    """The little of sqlite3's connection this script uses, over psql."""

    def __init__(self, url):
        self.url = url

    def execute(self, sql, args=()):
        for a in args:   # integers only (ids, sequence numbers)
            sql = sql.replace('?', str(int(a)), 1)
        out = subprocess.run(['psql', self.url, '-AtXq', '-c',
                              "COPY (%s) TO STDOUT WITH (FORMAT csv, NULL '\\N')" % sql],
                             check=True, capture_output=True, text=True).stdout
        for r in csv.reader(io.StringIO(out)):
            yield tuple(None if x == '\\N' else x for x in r)


def rows(db, sql, *args):
    for r in db.execute(sql, args):
        yield '\t'.join('NULL' if x is None else str(norm(x)) for x in r)


def main():
    db = Pg(sys.argv[1]) if sys.argv[1].startswith('postgres') else sqlite3.connect(sys.argv[1])
    aid, seq = int(sys.argv[2]), int(sys.argv[3])
    out = []
    out += ['assessment\t' + r for r in rows(db, 'SELECT state, extended_until, self_level, external_level,'
            ' recognised_level, recognition_decision_id FROM assessments WHERE id = ?', aid)]
    out += ['answer\t' + r for r in rows(db, 'SELECT item_code, side, version, value_json, reason, author_id'
            ' FROM answers WHERE assessment_id = ? ORDER BY item_code, side, version', aid)]
    out += ['current\t' + r for r in rows(db, 'SELECT item_code, side, version, value_json, reason, author_id'
            ' FROM answers_current WHERE assessment_id = ? ORDER BY item_code, side', aid)]
    out += ['transition\t' + r for r in rows(db, 'SELECT id, account_id, from_state, to_state, reason'
            ' FROM assessment_transitions WHERE assessment_id = ? ORDER BY id', aid)]
    out += ['submission\t' + r for r in rows(db, 'SELECT transition_id, letter, summary_json, created_by'
            ' FROM submissions WHERE assessment_id = ? ORDER BY id', aid)]
    out += ['return\t' + r for r in rows(db, 'SELECT transition_id, item_code, reason, created_by'
            ' FROM return_reasons WHERE assessment_id = ? ORDER BY id', aid)]
    out += ['seal\t' + r for r in rows(db, 'SELECT manifest FROM submission_seals WHERE assessment_id = ?'
            ' ORDER BY id', aid)]
    out += ['decision\t' + r for r in rows(db, 'SELECT d.kind, d.number, d.date, d.signer, d.issuer_unit_id, d.created_by'
            ' FROM decisions d JOIN assessments a ON a.recognition_decision_id = d.id WHERE a.id = ?', aid)]
    out += ['published\t' + r for r in rows(db, 'SELECT result_json, published_by, by_school, basis'
            ' FROM published_results WHERE assessment_id = ?', aid)]
    for r in db.execute('SELECT account_id, action, object_type, object_id, before_json, after_json'
                        ' FROM audit_log WHERE seq > ? ORDER BY seq', (seq,)):
        if any(r[1].startswith(c) or r[2].startswith(c) for c in CHANNEL):
            continue
        out.append('audit\t' + '\t'.join('NULL' if x is None else str(norm(x)) for x in r))
    print('\n'.join(out))


main()
