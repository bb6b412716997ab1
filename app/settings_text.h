#pragma once
/// A settings value as the text the user typed. QSettings' INI format reads an unquoted value
/// with commas ("sizePresets=abc,-1,0.1", a rule comment "# a, b") as a list, whose toString()
/// is empty: the whole value was lost without a word. This joins it back.

#include <QSettings>
#include <QString>

namespace flowscope {

QString settingsText(const QSettings& settings, const QString& key,
                     const QString& fallback = QString());

/// At most `maxChars` of `text`, control characters shown as '?', with "…" when cut: a value
/// quoted in a message (a status bar tooltip, the log) stays one readable line.
QString settingsExcerpt(const QString& text, int maxChars = 60);

}  // namespace flowscope
