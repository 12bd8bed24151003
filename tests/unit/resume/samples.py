"""Résumé texts for the review tests (written for these tests, not real people)."""

PROJECTS_HEAVY = """\
# Alex Kim
alex.kim@example.com · github.com/alexkim

## Work History
**Barista**, Blue Bottle Coffee, 2019 – 2021
- Trained new staff and handled the morning rush

## Selected Projects
### Movie Recommender
Recommends films to users. Trained a matrix factorisation model with PyTorch on MovieLens 1M.
### Dog Breed Classifier
Identifies dog breeds from photos using a fine-tuned ResNet-50 CNN.
### Tweet Sentiment
A dashboard.

## Education
B.A. in History, State University, 2019

## Technical Skills
Python, pandas, scikit-learn, PyTorch, SQL
"""

EXPERIENCE_HEAVY = """\
Sam Rivera
sam.rivera@example.com | linkedin.com/in/samrivera

SUMMARY
Data analyst with four years of SQL and Python experience, moving into machine learning
engineering after shipping forecasting models to production at two retailers.

PROJECTS
Churn Predictor: predicts customer churn with gradient boosting (XGBoost) on 200k accounts.

EXPERIENCE
Senior Data Analyst, ShopCo    Jan 2022 – Present
• Built demand forecasting models in Python that cut stock-outs by 12%
• Ran A/B tests on pricing with 2M users
Data Analyst, RetailMart    Jun 2019 – Dec 2021
• Automated weekly SQL reporting and Tableau dashboards
Analytics Intern, Numbers Inc    Summer 2018
• Cleaned survey data and produced statistical summaries

EDUCATION
B.Sc. in Statistics, City University, 2019

SKILLS
Python, SQL, pandas, scikit-learn, XGBoost, Tableau, statistics
"""

UNRELATED_DEGREE = """\
Priya Shah — priya@example.com

Education:
Bachelor of Arts in English Literature, Riverside College, 2021

About me:
English graduate who taught myself Python and machine learning through online courses and
now builds NLP tools for analysing novels and poetry.

Projects:
- Poem Generator: generates poems with a fine-tuned GPT-2 transformer trained on 10k poems
- Author Classifier: identifies the author of a passage using TF-IDF features and logistic regression

Experience:
- Editorial Assistant, Paper Press, 2021 – 2023

Skills:
Python, scikit-learn, Hugging Face, NLTK
"""

PHD = """\
MARIA LOPEZ
maria@uni.edu | +1 555 123 4567

PROFESSIONAL EXPERIENCE
Research Assistant, Vision Lab, University of Somewhere    Sep 2020 – Present
• Developed self-supervised models for medical image segmentation in PyTorch
Teaching Assistant, Dept. of Computer Science    2019 – 2020
• Taught probability and statistics labs

EDUCATION
Ph.D. in Computer Science (Machine Learning), University of Somewhere, expected 2025
M.Sc. in Applied Mathematics, 2019

SKILLS
Python, PyTorch, JAX, CUDA
"""

BOOTCAMP = """\
Jordan Lee | jordan@example.com

Profile
Career changer from retail management. Completed the Springboard Machine Learning Engineering
Bootcamp in 2023 and built three end-to-end ML projects.

Portfolio
Fraud Detector — detects fraudulent card transactions with an XGBoost model on the Kaggle credit card dataset
Plant Disease App — classifies leaf photos using a MobileNet CNN served with FastAPI
Capstone Chatbot

Employment
Store Manager, BigBox, 2016 – 2022

Skills
Python, XGBoost, FastAPI, Docker
"""

RECIPE = """\
Grandma's Apple Pie
Ingredients
6 apples, peeled and sliced
1 cup sugar
2 tablespoons flour
Instructions
Preheat the oven to 200 degrees. Mix the apples with the sugar and flour, pour into the crust
and bake for 45 minutes until golden. Let it cool before serving with ice cream and a cup of tea.
"""

RANDOM_TEXT = """\
The quick brown fox jumps over the lazy dog while the river keeps flowing toward the
distant sea, and nobody on the bridge notices the clouds gathering above the old town hall
where pigeons argue about crumbs and the clock has stopped at a quarter past seven.
"""

JOB_DESCRIPTION = """\
Machine Learning Intern, Recommendations Team

We build recommendation models for online retail. You will work on ranking models and
feature pipelines that serve millions of shoppers.

Requirements
- Python and SQL
- Experience with PyTorch or TensorFlow
- Statistics and A/B testing
- Familiarity with ranking models and feature pipelines

Nice to have
- Docker
- AWS
"""
