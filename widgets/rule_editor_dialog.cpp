#include "rule_editor_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QTextBlock>
#include <QVBoxLayout>

#include "alerts/rule_parser.h"
#include "alerts/signal_catalog.h"

namespace flowscope {
namespace {

// Every field of the catalog, first to last (the enum is contiguous).
constexpr int kSignalCount = static_cast<int>(SignalField::MicroOffsetZ) + 1;

QSpinBox* secondsBox(QWidget* parent, const QString& objectName, int value, const QString& zero) {
    auto* box = new QSpinBox(parent);
    box->setObjectName(objectName);
    box->setRange(0, 3600);
    box->setSuffix(" s");
    box->setSpecialValueText(zero);
    box->setValue(value);
    return box;
}

}  // namespace

RuleEditorDialog::RuleEditorDialog(const QString& rulesText, std::vector<WindowSpec> windows,
                                   QWidget* parent)
    : QDialog(parent), windows_(std::move(windows)) {
    setWindowTitle(tr("Alert rules"));
    auto* layout = new QVBoxLayout(this);
    auto* grid = new QGridLayout;
    buildBuilderRow(grid);
    layout->addLayout(grid);

    text_ = new QPlainTextEdit(this);
    text_->setObjectName("rulesText");
    text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text_->setLineWrapMode(QPlainTextEdit::NoWrap);
    text_->setPlaceholderText(
        tr("# one rule a line, e.g.\n"
           "fast_up: ofi_z(10s) > 2.5 for 3s cooldown 30s then propose buy 0.01 expire 10s"));
    text_->setPlainText(rulesText);
    layout->addWidget(text_, 1);

    status_ = new QLabel(this);
    status_->setObjectName("status");
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(status_);

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons_);
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(text_, &QPlainTextEdit::textChanged, this, &RuleEditorDialog::validate);
    resize(820, 480);
    validate();
}

void RuleEditorDialog::buildBuilderRow(QGridLayout* grid) {
    name_ = new QLineEdit(this);
    name_->setObjectName("builderName");
    name_->setPlaceholderText(tr("name"));
    name_->setValidator(
        new QRegularExpressionValidator(QRegularExpression("[A-Za-z_][A-Za-z0-9_]*"), name_));
    signal_ = new QComboBox(this);
    signal_->setObjectName("builderSignal");
    for (int i = 0; i < kSignalCount; ++i) {
        const auto field = static_cast<SignalField>(i);
        signal_->addItem(QString::fromUtf8(signalName(field)), i);
    }
    window_ = new QComboBox(this);
    window_->setObjectName("builderWindow");
    for (const WindowSpec& w : windows_)
        window_->addItem(QString::fromStdString(w.label()));
    op_ = new QComboBox(this);
    op_->setObjectName("builderOp");
    op_->addItems({">", ">=", "<", "<=", "=="});
    threshold_ = new QLineEdit("0", this);
    threshold_->setObjectName("builderThreshold");
    threshold_->setValidator(
        new QRegularExpressionValidator(QRegularExpression("[-+]?[0-9]*\\.?[0-9]+"), threshold_));
    forSeconds_ = secondsBox(this, "builderFor", 0, tr("at once"));
    cooldownSeconds_ = secondsBox(this, "builderCooldown", 30, tr("none"));
    action_ = new QComboBox(this);
    action_->setObjectName("builderAction");
    action_->addItems({"alert", "propose", "auto"});
    side_ = new QComboBox(this);
    side_->setObjectName("builderSide");
    side_->addItems({"buy", "sell"});
    size_ = new QLineEdit("0.01", this);
    size_->setObjectName("builderSize");
    size_->setValidator(
        new QRegularExpressionValidator(QRegularExpression("[0-9]*\\.?[0-9]+"), size_));
    expireSeconds_ = secondsBox(this, "builderExpire", 10, tr("default"));
    expireSeconds_->setToolTip(tr("How long a proposed ticket waits for a confirmation"));
    auto* add = new QPushButton(tr("Add rule"), this);
    add->setObjectName("builderAdd");

    const std::pair<QString, QWidget*> cells[] = {{tr("Name"), name_},
                                                  {tr("Signal"), signal_},
                                                  {tr("Window"), window_},
                                                  {tr("Op"), op_},
                                                  {tr("Threshold"), threshold_},
                                                  {tr("For"), forSeconds_},
                                                  {tr("Cooldown"), cooldownSeconds_},
                                                  {tr("Then"), action_},
                                                  {tr("Side"), side_},
                                                  {tr("Size"), size_},
                                                  {tr("Expire"), expireSeconds_},
                                                  {QString(), add}};
    int column = 0;
    for (const auto& [label, widget] : cells) {
        grid->addWidget(new QLabel(label, this), 0, column);
        grid->addWidget(widget, 1, column++);
    }
    const auto refresh = [this] { updateBuilderEnabled(); };
    connect(signal_, &QComboBox::currentIndexChanged, this, refresh);
    connect(action_, &QComboBox::currentIndexChanged, this, refresh);
    connect(name_, &QLineEdit::textChanged, this, refresh);
    connect(threshold_, &QLineEdit::textChanged, this, refresh);
    connect(size_, &QLineEdit::textChanged, this, refresh);
    connect(add, &QPushButton::clicked, this, &RuleEditorDialog::appendBuiltRule);
    updateBuilderEnabled();
}

void RuleEditorDialog::updateBuilderEnabled() {
    const auto field = static_cast<SignalField>(signal_->currentData().toInt());
    window_->setEnabled(isWindowed(field) && window_->count() > 0);
    const bool orders = action_->currentIndex() != 0;
    side_->setEnabled(orders);
    size_->setEnabled(orders);
    expireSeconds_->setEnabled(action_->currentText() == "propose");
    auto* add = findChild<QPushButton*>("builderAdd");
    add->setEnabled(name_->hasAcceptableInput() && threshold_->hasAcceptableInput() &&
                    (!orders || size_->hasAcceptableInput()) &&
                    (!isWindowed(field) || window_->count() > 0));
}

QString RuleEditorDialog::builtRule() const {
    const auto field = static_cast<SignalField>(signal_->currentData().toInt());
    QString signal = signal_->currentText();
    if (isWindowed(field)) signal += "(" + window_->currentText() + ")";
    QString line =
        QString("%1: %2 %3 %4").arg(name_->text(), signal, op_->currentText(), threshold_->text());
    if (forSeconds_->value() > 0) line += QString(" for %1s").arg(forSeconds_->value());
    if (cooldownSeconds_->value() > 0)
        line += QString(" cooldown %1s").arg(cooldownSeconds_->value());
    const QString action = action_->currentText();
    if (action == "alert") return line + " then alert";
    line += QString(" then %1 %2 %3").arg(action, side_->currentText(), size_->text());
    if (action == "propose" && expireSeconds_->value() > 0)
        line += QString(" expire %1s").arg(expireSeconds_->value());
    return line;
}

void RuleEditorDialog::appendBuiltRule() {
    QString text = text_->toPlainText();
    if (!text.isEmpty() && !text.endsWith('\n')) text += '\n';
    text_->setPlainText(text + builtRule() + '\n');
    text_->moveCursor(QTextCursor::End);
}

void RuleEditorDialog::validate() {
    const std::string text = text_->toPlainText().toStdString();
    const ParsedRules parsed = parseRules(text, windows_);
    valid_ = !parsed.error.has_value();
    errorLine_ = valid_ ? 0 : parsed.error->line;
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(valid_);

    QList<QTextEdit::ExtraSelection> marks;
    if (!valid_) {
        const RuleParseError& e = *parsed.error;
        status_->setText(
            QString("%1:%2: %3").arg(e.line).arg(e.column).arg(QString::fromStdString(e.message)));
        status_->setStyleSheet("QLabel { color: #f04f6a; }");
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(text_->document()->findBlockByNumber(e.line - 1));
        mark.format.setBackground(QColor(240, 79, 106, 70));
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        marks << mark;
    } else {
        status_->setText(
            tr("%n rule(s), no errors", nullptr, static_cast<int>(parsed.rules.size())));
        status_->setStyleSheet({});
    }
    text_->setExtraSelections(marks);
}

QString RuleEditorDialog::rulesText() const {
    return text_->toPlainText();
}

QString RuleEditorDialog::errorText() const {
    return valid_ ? QString() : status_->text();
}

}  // namespace flowscope
