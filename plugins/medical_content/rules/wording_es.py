"""Balanced wording in Spanish: the phrases a Spanish page may not use as a claim.

Plain data, read by the wording engine (wording.py) exactly like its English list: a phrase
is allowed when a negation comes shortly before it in the sentence ("ningún producto de
exosomas está aprobado por la FDA", "no es un tratamiento sin riesgos"), when it is quoted
("nunca decimos «milagro»"), or in a question. Patterns match whole words, ignoring case.
"""

from __future__ import annotations

# (regular expression, what to write instead, in Spanish for the Spanish editor)
OVERCLAIMS_ES = (
    (r"cura garantizada|curas? (?:definitiva|total|segura)s?",
     "diga lo que encontraron los estudios, por ejemplo «puede aliviar el dolor en algunas personas»"),
    (r"curan?|curará|curarán|curó|curaron|curad[oa]s?",
     "diga lo que encontraron los estudios, por ejemplo «puede aliviar el dolor en algunas personas»"),
    (r"garantiza(?:d[oa]s?|mos|n)?|garantías?",
     "los resultados varían de una persona a otra; dígalo"),
    (r"milagros?|milagros[oa]s?", "describa lo que hace el tratamiento, con palabras sencillas"),
    (r"sin (?:ningún )?riesgos?|libres? de (?:todo )?riesgos?|riesgo cero|cero riesgos?",
     "toda inyección tiene riesgos; nómbrelos"),
    (r"sin (?:ningun[ao]s? )?complicacion(?:es)?|sin (?:ningun[ao]s? )?complicaciones|cero complicaciones",
     "nombre las complicaciones posibles y con qué frecuencia ocurren"),
    (r"tratamientos? curativos?|curativ[oa]s?", "diga lo que encontraron los estudios, por ejemplo «puede aliviar el dolor en algunas personas»"),
    (r"sin efectos (?:secundarios|adversos)|sin (?:ningún )?efecto (?:secundario|adverso)",
     "nombre los efectos secundarios y con qué frecuencia ocurren"),
    (r"(?:100 ?%|100 por ?ciento|cien por ?ciento) segur[oa]s?|(?:completa|totalmente|perfecta|absoluta)(?:mente)? segur[oa]s?",
     "nombre los riesgos"),
    (r"(?:100 ?%|100 por ?ciento|cien por ?ciento) (?:eficaz|efectiv[oa])(?:es|s)?",
     "diga qué midieron los estudios"),
    (r"aprobad[oa]s? por (?:la )?(?:FDA|Administración de Alimentos y Medicamentos)"
     r"|(?:la )?FDA (?:ha|había|lo ha|los ha|la ha|las ha) aprobado|aprobad[oa]s? por la administraci[oó]n",
     "los equipos para preparar PRP están autorizados («cleared»), no aprobados, y ningún "
     "producto de exosomas está aprobado"),
    (r"(?:científica|clínica)mente (?:probad|demostrad|comprobad)[oa]s?|"
     r"(?:probad|demostrad|comprobad)[oa]s? (?:científica|clínica)mente|está (?:probado|demostrado|comprobado)",
     "diga lo que muestran las pruebas y qué tan sólidas son"),
    (r"(?:muy|altamente|sumamente|extremadamente|tremendamente) (?:eficaz|efectiv[oa])(?:es|s)?",
     "diga qué midieron los estudios"),
    (r"revolucionari[oa]s?|avances? revolucionarios?", "describa el tratamiento sin promocionarlo"),
)

# Words that turn a claim into its denial when they come shortly before it in a sentence.
NEGATIONS_ES = {
    "no", "ni", "nunca", "jamás", "sin", "ningún", "ninguna", "ninguno", "ningunos",
    "ningunas", "nadie", "nada", "tampoco",
}

# Words after a negation that make it emphasis, not a denial ("sin duda cura", "no solo cura").
NOT_DENIALS_ES = {"duda", "solo", "sólo", "cabe"}
