"""Builds the blind recount set of benches/recount (see README.md there).

    python3 benches/recount/make_blind_set.py   (needs numpy, scipy, matplotlib)

Writes, in the current folder: files/fNN.csv (copies of the recordings under
anonymous names), plots/fNN.png (the 2.5 Hz low-passed gyroscope and accelerometer
in three overlapping panels) and key.csv (which file is which; kept from the raters).
The 18 "miss" sets are those the counter got wrong at commit e7719de.
"""
import os
import numpy as np, random, csv, shutil, matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
from scipy.signal import butter, filtfilt
D=os.environ.get('REHAB_DATA', os.path.join(os.path.dirname(__file__), '../../../shared/data'))
miss="""s2_ER_right s3_ABD_left s5_PEN_right s3_PEN_right s2_ER_left s3_FEL_right s2_IR_right s6_ABD_right s5_ROW_right s3_PEN_left s4_ABD_right s4_PEN_left s1_PEN_right s2_IR_left s6_PEN_left s5_TRAP_right s4_ROW_right s2_PEN_left""".split()
miss=[f'spar/{m}_1.csv' for m in miss]
rows=[r for r in csv.DictReader(open(D+'/manifest.csv')) if r['dataset']=='spar']
exact=[r['file'] for r in rows if r['file'] not in miss]
rng=random.Random(20261126)
ctrl=rng.sample(exact,18)
files=miss+ctrl; rng.shuffle(files)
os.makedirs('files', exist_ok=True); os.makedirs('plots', exist_ok=True)
key=open('key.csv','w'); key.write('id,file,kind\n')
for i,f in enumerate(files):
    fid=f'f{i+1:02d}'
    key.write(f'{fid},{f},{"miss" if f in miss else "ctrl"}\n')
    shutil.copy(D+'/'+f, f'files/{fid}.csv')
    d=np.loadtxt(D+'/'+f,delimiter=',',skiprows=1)
    t=d[:,0]; fs=1/np.median(np.diff(t))
    b,a=butter(2,2.5/(fs/2))
    g=filtfilt(b,a,d[:,4:7],axis=0); ac=filtfilt(b,a,d[:,1:4],axis=0)
    T=t[-1]; n=3; edges=np.linspace(t[0],T,n+1)
    fig,ax=plt.subplots(2*n,1,figsize=(16,3.2*n*2))
    for k in range(n):
        m=(t>=edges[k]-0.5)&(t<=edges[k+1]+0.5)
        for j,c in enumerate('xyz'):
            ax[2*k].plot(t[m],g[m,j],lw=1.2,label='gyro '+c)
            ax[2*k+1].plot(t[m],ac[m,j],lw=1.2,label='acc '+c)
        for a_ in (ax[2*k],ax[2*k+1]):
            a_.set_xticks(np.arange(np.floor(edges[k]),edges[k+1]+1,1.0)); a_.grid(alpha=0.4)
            a_.set_xlim(edges[k]-0.5,edges[k+1]+0.5); a_.legend(loc='upper right',fontsize=7)
        ax[2*k].set_ylabel('rad/s'); ax[2*k+1].set_ylabel('m/s²')
    ax[0].set_title(f'{fid}: low-passed 2.5 Hz, {T:.1f} s, part 1-3 (panels overlap by 0.5 s at joins)')
    plt.tight_layout(); plt.savefig(f'plots/{fid}.png',dpi=55); plt.close()
