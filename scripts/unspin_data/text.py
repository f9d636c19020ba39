"""Tokens and word classes shared by the data scripts.

The alignment of training pairs and the keys of the thesaurus layer must
split and classify words the same way in every script that reads them, or
a swap counted by one script would be missed by another.
"""
import re

TOK = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                        "\u2013": "-", "\u2014": "-", "\u00a0": " "})

NUMBER_WORDS = set("""zero one two three four five six seven eight nine ten eleven twelve
thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty
sixty seventy eighty ninety hundred thousand million billion trillion first second third
fourth fifth sixth seventh eighth ninth tenth half dozen""".split())

# function words: not used as spun keys (the thesaurus layer handles content
# words; observed function-word swaps such as "within" -> "in" belong to the
# mined layer) and flagged as a feature when they are the original.
FUNCTION_WORDS = set("""
a an the of to in on at by for from with as into onto upon about over under
above below across after before behind beside besides between beyond during
except inside outside through throughout toward towards underneath until till
unto up down out off within without via per and or nor but yet so if than that
this these those it its itself is are was were be been being am has have had
having do does did done doing will would shall should can could may might must
ought not no yes he she they we you i me him her them us his hers their theirs
our ours your yours my mine who whom whose which what whatever whoever when
whenever where wherever while whilst why how also just very too more most less
least some any all each every both either neither much many few several such own
same other another else here there then now thus hence therefore however
although though because since unless whether again ever never always often still
already almost even only quite rather really well back away one ones something
anything nothing everything someone anyone everyone nobody somebody anybody
everybody lot lots""".split())


def tokens(text):
    """Words (apostrophes inside kept) and punctuation marks, typography
    made plain first, as evalspin.py tokenizes."""
    return TOK.findall(text.translate(QUOTES))


KEY_RE = re.compile(r"[a-z][a-z'-]*(?: [a-z][a-z'-]*)*")


def content_key(s):
    """may s be a spun key of the thesaurus layer? (content words only)"""
    if not KEY_RE.fullmatch(s):
        return False
    ws = s.split(" ")
    if len(ws) > 4:
        return False
    if len(ws) == 1 and (s in FUNCTION_WORDS or len(s) < 3):
        return False
    if all(x in FUNCTION_WORDS for x in ws):
        return False
    return True
