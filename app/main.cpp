// flowscope: the order-flow terminal. Opens on the built-in simulated market.
#include <QApplication>
#include <QDir>
#include <QStandardPaths>
#include <QTextStream>
#include <QTimer>

#include "app_options.h"
#include "main_window.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("Flowscope");
    QApplication::setOrganizationName("Flowscope");
    QApplication::setApplicationVersion("0.1.0");

    QString error;
    bool exitNow = false;
    const auto options = flowscope::parseAppOptions(QApplication::arguments(), error, exitNow);
    if (exitNow) return 0;
    if (!options) {
        QTextStream(stderr) << "flowscope: " << error
                            << "\nRun 'flowscope --help' for the options.\n";
        return 2;
    }
    // Settings live in an INI file the user can read and edit.
    const QString settingsPath =
        !options->settingsFile.isEmpty()
            ? options->settingsFile
            : QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
                  "/flowscope.ini";
    QDir().mkpath(QFileInfo(settingsPath).absolutePath());
    QSettings settings(settingsPath, QSettings::IniFormat);
    if (settings.status() != QSettings::NoError) {
        QTextStream(stderr) << "flowscope: cannot read settings file " << settingsPath << "\n";
        return 2;
    }

    flowscope::MainWindow window(*options, settings);
    window.show();
    if (options->quitAfterMs > 0) {
        QTimer::singleShot(options->quitAfterMs, &window, [&] {
            if (!options->screenshot.isEmpty() && !window.grab().save(options->screenshot)) {
                QTextStream(stderr) << "flowscope: cannot write " << options->screenshot << "\n";
            }
            window.close();
        });
    }
    return QApplication::exec();
}
