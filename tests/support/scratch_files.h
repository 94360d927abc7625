#pragma once
// Files the end-to-end tests write into a temporary directory and read back.
#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>
#include <string>

namespace testsupport {

// Returns the path of the written file.
inline QString writeFile(const QTemporaryDir& directory, const QString& name,
                         const QByteArray& content) {
    QString path = directory.filePath(name);
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(content);
    return path;
}
// Keeps every byte, embedded NULs included.
inline QString writeFile(const QTemporaryDir& directory, const QString& name,
                         const std::string& content) {
    return writeFile(directory, name, QByteArray::fromStdString(content));
}
// Without this, a string literal would fit both of the above equally well.
inline QString writeFile(const QTemporaryDir& directory, const QString& name, const char* content) {
    return writeFile(directory, name, QByteArray(content));
}

// Empty when the file cannot be read.
inline QByteArray readBytes(const QString& path) {
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

inline QString readText(const QString& path) {
    return QString::fromUtf8(readBytes(path));
}

} // namespace testsupport
