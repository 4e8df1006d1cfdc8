// Translations from Django's JavaScript catalogue (/jsi18n/, loaded by the page before any
// module): the user's language. Without it, the English text stands.
export const gettext = window.gettext || ((text) => text);
export const ngettext = window.ngettext || ((one, many, count) => (count === 1 ? one : many));
export const pgettext = window.pgettext || ((context, text) => text);
// interpolate("Version %(number)s", { number: 3 }): named placeholders only.
export const interpolate = (format, values) => (window.interpolate
  ? window.interpolate(format, values, true)
  : format.replace(/%\((\w+)\)s/g, (match, name) => String(values[name])));
