// html-validate (the HTML linter GOV.UK Frontend and NHS.UK frontend run in CI), as the
// quality tests run it over every built page: `html-validate --config .htmlvalidate.cjs`.
// The recommended rules, less only what conflicts with a deliberate choice of this site.
module.exports = {
  extends: ["html-validate:recommended"],
  rules: {
    // We write `<!doctype html>` in lowercase: the HTML standard makes it case-insensitive.
    "doctype-style": "off",
    // Every <title> ends with the site's name, as NHS.UK and GOV.UK titles do: " - PRP and
    // Exosome Patient Guide" (32 characters) or, in Spanish, " - Guía para pacientes sobre PRP
    // y exosomas" (44). The page's own part still gets 70.
    "long-title": ["error", { maxlength: 70 + 44 }],
    // The production minifier (minify-html) leaves out the quotes the HTML standard does not
    // need; a value that is quoted still uses double quotes.
    "attr-quotes": ["error", { style: "double", unquoted: true }],
    // It also writes a bare "&" where nothing can read it as the start of a character reference.
    "no-raw-characters": ["error", { relaxed: true }],
  },
};
