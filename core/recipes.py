"""The course's recipes that need the internet, as code a student can run on a connected machine.

The lab works offline: it shows these recipes but never runs them (the tests run them with
small stand-ins for the downloads, so the code stays valid Keras).
"""

# The course's sentiment recipe (an Embedding, LSTM(32), one sigmoid unit) written out for a
# connected machine: imdb.load_data downloads imdb.npz, 25,000 + 25,000 reviews as word indices.
IMDB_RECIPE = """\
import keras
from keras import layers

max_features, maxlen = 10000, 200  # the 10,000 most frequent words; reviews cut or padded to 200
(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=max_features)
x_train = keras.utils.pad_sequences(x_train, maxlen=maxlen)
x_test = keras.utils.pad_sequences(x_test, maxlen=maxlen)

model = keras.Sequential([
    layers.Input((maxlen,)),
    layers.Embedding(max_features, 32),      # each word index becomes a vector of 32 numbers
    layers.LSTM(32),                         # reads the review word by word
    layers.Dense(1, activation="sigmoid"),   # probability that the review is positive
])
model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=10, batch_size=128, validation_split=0.2)
print(model.evaluate(x_test, y_test))
"""

# The course's two ways to reuse ImageNet networks on its cats-and-dogs images, written out for a
# connected machine (the first run downloads the weights and the images; see the page's note).
VGG_RECIPE = """\
import keras
import numpy as np
from keras import layers

# The course's small cats-and-dogs set: 2,000 training and 1,000 validation images
extracted = keras.utils.get_file(
    "cats_and_dogs_filtered.zip", extract=True,
    origin="https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip")
folder = extracted + "/cats_and_dogs_filtered"  # Keras 3: get_file returns the extracted folder


def images(part, size, labels):
    return keras.utils.image_dataset_from_directory(f"{folder}/{part}", image_size=size,
                                                    label_mode=labels, batch_size=20)


# 1. Feature extraction: VGG16 without its top (no classifier), frozen. It runs once over every
#    image; a small new network then learns, epoch after epoch, from the numbers it extracted
conv_base = keras.applications.VGG16(weights="imagenet", include_top=False, input_shape=(150, 150, 3))
conv_base.trainable = False
prep16 = keras.applications.vgg16.preprocess_input


def extract_features(part):
    features, labels = [], []
    for x, y in images(part, (150, 150), "binary"):  # one pass over the folder
        features.append(conv_base(prep16(x), training=False))  # (20, 4, 4, 512) per batch
        labels.append(y)
    return np.concatenate(features), np.concatenate(labels)


train_features, train_labels = extract_features("train")           # (2000, 4, 4, 512), computed once
valid_features, valid_labels = extract_features("validation")      # (1000, 4, 4, 512)
head = keras.Sequential([
    layers.Input((4, 4, 512)),               # VGG16's features of a 150×150 image
    layers.Flatten(),
    layers.Dense(256, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(1, activation="sigmoid"),   # cat (0) or dog (1)
])
head.compile(optimizer=keras.optimizers.RMSprop(learning_rate=2e-5), loss="binary_crossentropy",
             metrics=["accuracy"])
head.fit(train_features, train_labels, validation_data=(valid_features, valid_labels),
         batch_size=20, epochs=30)

# 2. Fine-tuning: VGG19 with its first 12 layers frozen (the input and blocks 1 to 3, up to
#    block3_pool), so blocks 4 and 5 learn, slowly, with a new head. To train block 5 alone,
#    freeze vgg.layers[:17] instead (up to block4_pool)
vgg = keras.applications.VGG19(weights="imagenet", include_top=False, input_shape=(256, 256, 3))
for layer in vgg.layers[:12]:
    layer.trainable = False
prep19 = keras.applications.vgg19.preprocess_input
train = images("train", (256, 256), "categorical").map(lambda x, y: (prep19(x), y))
valid = images("validation", (256, 256), "categorical").map(lambda x, y: (prep19(x), y))
model = keras.Sequential([
    vgg,
    layers.Flatten(),
    layers.Dense(100, activation="relu"),
    layers.Dense(2, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-5), loss="categorical_crossentropy",
              metrics=["accuracy"])
model.fit(train, validation_data=valid, epochs=10)
"""


def with_comments(code: str, comments: list[str]) -> str:
    """``code`` with its comments, in order, replaced by ``comments`` (the same code in the
    student's language: ``lab/transfer/i18n/<lang>.json`` ``recipe.comments``); the code
    before each ``#`` is kept as it is. A list of another length leaves ``code`` unchanged."""
    lines = code.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if "#" in line]
    if len(found) != len(comments):
        return code
    for i, comment in zip(found, comments):
        end = "\n" if lines[i].endswith("\n") else ""
        lines[i] = lines[i][:lines[i].index("#")] + comment + end
    return "".join(lines)
