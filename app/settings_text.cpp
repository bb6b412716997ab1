#include "settings_text.h"

#include <QStringList>

namespace flowscope {

QString settingsText(const QSettings& settings, const QString& key, const QString& fallback) {
    const QVariant value = settings.value(key, fallback);
    if (value.typeId() == QMetaType::QStringList) return value.toStringList().join(',');
    return value.toString();
}

QString settingsExcerpt(const QString& text, int maxChars) {
    QString out = text.left(maxChars);
    for (QChar& c : out)
        if (c.category() == QChar::Other_Control || c.isSurrogate()) c = '?';
    if (text.size() > maxChars) out += QChar(0x2026);
    return out;
}

}  // namespace flowscope
