#!/usr/bin/python3
"""htmlcheck.py — every html_f format in src/ checked against its arguments.

html_f (src/html.c) is Chiso's one HTML writer: its format string is the
only raw markup and each directive escapes one typed argument. A directive
and an argument that disagree compile silently (it is a variadic function)
and fail only when the page renders — or worse, print an int64_t read as an
int. Like Fossil's codecheck1.c, this check runs at build time (make lint),
but reads the real types from clang's AST instead of guessing from text.

For every call of html_f it checks:
  - the format is a string literal (a format from data could inject markup);
  - the directives are known (%h %a %u %d %D %z %q %%);
  - their number equals the number of arguments;
  - each argument has the directive's type: %h %a %u a char pointer,
    %d an int (or what promotes to one), %D a 64-bit signed integer,
    %z size_t, %q the exact rational `q`.

Usage: tools/htmlcheck.py [-- CFLAGS…] FILE.c…   prints one line per
problem, "htmlcheck: N calls checked" at the end; exit 1 on any problem.
"""
import sys

import clang.cindex as ci

DIRECTIVES = "hauDdzq"


def directives(fmt):
    """The directive letters of a format, or raises ValueError."""
    out, i = [], 0
    while i < len(fmt):
        if fmt[i] == "%":
            if i + 1 >= len(fmt):
                raise ValueError("format ends with a lone %")
            c = fmt[i + 1]
            if c != "%":
                if c not in DIRECTIVES:
                    raise ValueError("unknown directive %%%s" % c)
                out.append(c)
            i += 2
        else:
            i += 1
    return out


def strip(node):
    """The expression under implicit casts and parentheses."""
    while node.kind in (ci.CursorKind.UNEXPOSED_EXPR, ci.CursorKind.PAREN_EXPR) \
            and len(list(node.get_children())) == 1:
        node = next(node.get_children())
    return node


def unquote(s):
    return bytes(s[1:-1], "utf-8").decode("unicode_escape", errors="ignore")


def string_macros(tu):
    """Macros whose body is string literals only: name -> text."""
    found = {}
    for m in tu.cursor.get_children():
        try:
            if m.kind != ci.CursorKind.MACRO_DEFINITION:
                continue
        except ValueError:
            continue
        toks = [t.spelling for t in m.get_tokens()][1:]
        if toks and all(t.startswith('"') and t.endswith('"') for t in toks):
            found[m.spelling] = "".join(unquote(t) for t in toks)
    return found


def literals(node, macros):
    """The texts a format argument can be: one string literal (adjacent
    literals and string macros joined), or both branches of `c ? "…" : "…"`;
    None if it can be anything else."""
    node = strip(node)
    if node.kind == ci.CursorKind.CONDITIONAL_OPERATOR:
        kids = list(node.get_children())
        a, b = literals(kids[1], macros), literals(kids[2], macros)
        return a + b if a is not None and b is not None else None
    if node.kind != ci.CursorKind.STRING_LITERAL:
        return None
    text = ""
    for tok in node.get_tokens():
        s = tok.spelling
        if s.startswith('"') and s.endswith('"'):
            text += unquote(s)
        elif s in macros:
            text += macros[s]
        else:
            return None
    return [text]


def type_ok(letter, t):
    """Whether type t (the argument's type as written, before promotion) fits."""
    canon = t.get_canonical()
    spelled = t.spelling
    if letter in "hau":
        if canon.kind == ci.TypeKind.POINTER:
            elem = canon.get_pointee()
        elif canon.kind in (ci.TypeKind.CONSTANTARRAY, ci.TypeKind.INCOMPLETEARRAY):
            elem = canon.get_array_element_type()   # decays to a pointer
        else:
            return False
        return elem.kind in (ci.TypeKind.CHAR_S, ci.TypeKind.CHAR_U,
                                            ci.TypeKind.SCHAR, ci.TypeKind.UCHAR)
    if letter == "d":
        return canon.kind in (ci.TypeKind.INT, ci.TypeKind.BOOL, ci.TypeKind.SHORT,
                              ci.TypeKind.USHORT, ci.TypeKind.CHAR_S, ci.TypeKind.SCHAR,
                              ci.TypeKind.UCHAR, ci.TypeKind.ENUM)
    if letter == "D":
        return canon.kind in (ci.TypeKind.LONG, ci.TypeKind.LONGLONG) and canon.get_size() == 8
    if letter == "z":
        return "size_t" in spelled or (canon.kind == ci.TypeKind.ULONG and canon.get_size() == 8)
    if letter == "q":
        return canon.kind == ci.TypeKind.RECORD and canon.get_declaration().spelling == "q"
    return False


def arg_type(node):
    """The argument's type before the variadic promotion clang inserts."""
    node = strip(node)
    return node.type


def is_call(node):
    """Whether node is a call (kinds newer than the bindings are not)."""
    try:
        return node.kind == ci.CursorKind.CALL_EXPR
    except ValueError:
        return False


def check_file(index, path, flags, known):
    """The problems of one file and how many calls it checked."""
    problems, calls = [], 0
    tu = index.parse(path, args=flags,
                     options=ci.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD)
    macros = string_macros(tu)
    for d in tu.diagnostics:
        if d.severity >= ci.Diagnostic.Error:
            problems.append("%s: clang could not parse: %s" % (path, d.spelling))
            return problems, calls
    for call in tu.cursor.walk_preorder():
        if not is_call(call):
            continue
        if not call.location.file or call.location.file.name != path:
            continue
        if call.spelling == "html_vf" and not path.endswith("html.c"):
            # A variadic wrapper would hide its callers' formats from this check.
            problems.append("%s:%d: html_vf outside html.c: call html_f" % (path, call.location.line))
            continue
        if call.spelling not in known:
            continue
        args = list(call.get_arguments())
        at = known[call.spelling]
        where = "%s:%d: %s" % (path, call.location.line, call.spelling)
        if len(args) <= at:
            continue
        fmts = literals(args[at], macros)
        if fmts is None:
            problems.append("%s: the format is not a string literal" % where)
            continue
        calls += 1
        for fmt in fmts:
            problems += check_call(where, fmt, args[at + 1:])
    return problems, calls


WANTS = {"h": "a char pointer", "a": "a char pointer", "u": "a char pointer",
         "d": "int", "D": "int64_t", "z": "size_t", "q": "q"}


def check_call(where, fmt, rest):
    """The problems of one format against its arguments."""
    try:
        letters = directives(fmt)
    except ValueError as e:
        return ["%s: %s" % (where, e)]
    if len(letters) != len(rest):
        return ["%s: %d directives, %d arguments" % (where, len(letters), len(rest))]
    problems = []
    for n, (letter, a) in enumerate(zip(letters, rest), 1):
        t = arg_type(a)
        if not type_ok(letter, t):
            problems.append("%s: argument %d is %s, %%%s wants %s" % (
                where, n, t.spelling, letter, WANTS[letter]))
    return problems


def main(argv):
    flags, files = [], []
    if "--" in argv:
        i = argv.index("--")
        files, flags = argv[:i], argv[i + 1:]
    else:
        files = argv
    index = ci.Index.create()
    # html_f's format is its second parameter (after the buffer).
    known = {"html_f": 1}
    problems, calls = [], 0
    for path in files:
        p, c = check_file(index, path, flags, known)
        problems += p
        calls += c
    for p in problems:
        print(p)
    print("htmlcheck: %d calls checked, %d problems" % (calls, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
